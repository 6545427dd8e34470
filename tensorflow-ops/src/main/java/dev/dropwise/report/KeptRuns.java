package dev.dropwise.report;

import dev.dropwise.util.AtomicFiles;
import dev.dropwise.util.FileNames;
import dev.dropwise.util.Json;
import dev.dropwise.util.OutputDirectories;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A study's finished runs of one arm, kept as JSON in {@code dir} beside the settings they were
 * made with ({@value #SETTINGS}): a rerun trains nothing kept, and runs made with other settings
 * (another data set, network, training or measurement) are never mixed in.
 *
 * @param settings a record of what the runs depend on, compared by {@code equals}
 */
record KeptRuns(Path dir, Object settings) {

  /** The file beside the runs that says how they were made. */
  static final String SETTINGS = "settings.json";

  /**
   * Refuses, before any work, a report that cannot be written and a size's runs directory under
   * {@code runsDir} that is neither new, empty, nor dropwise's.
   */
  static void checkOutputs(List<StudySize> sizes, Path report, Path runsDir) {
    ReproductionReport.checkReport(report);
    for (StudySize size : sizes) {
      OutputDirectories.check("runs directory", runsDir.resolve(size.label()));
    }
  }

  /**
   * Each arm's kept runs ({@code of}), every one {@link #check checked} before any is used: a study
   * refuses runs made with other settings before it trains anything.
   */
  static <K> Map<K, KeptRuns> checked(List<K> arms, Function<K, KeptRuns> of) throws IOException {
    Map<K, KeptRuns> out = new LinkedHashMap<>();
    for (K arm : arms) {
      KeptRuns kept = of.apply(arm);
      kept.check();
      out.put(arm, kept);
    }
    return out;
  }

  /** Refuses the folder when the runs in it were made with other settings. */
  void check() throws IOException {
    Path file = dir.resolve(SETTINGS);
    if (Files.isRegularFile(file)
        && !settings.equals(Json.MAPPER.readValue(file.toFile(), settings.getClass()))) {
      throw new IllegalArgumentException(
          "the runs in "
              + dir
              + " were made with other settings ("
              + file
              + "): give another runs directory");
    }
  }

  /** The kept run of {@code method} and {@code seed}, or null when there is none. */
  <R> R kept(String method, long seed, Class<R> type) throws IOException {
    Path file = dir.resolve(fileName(method, seed));
    return Files.isRegularFile(file) ? Json.MAPPER.readValue(file.toFile(), type) : null;
  }

  /** Keeps {@code run} of {@code method} and {@code seed} (the settings with the first one). */
  void keep(String method, long seed, Object run) throws IOException {
    OutputDirectories.claim("runs directory", dir);
    Path file = dir.resolve(SETTINGS);
    if (!Files.isRegularFile(file)) {
      AtomicFiles.write(file, Json.MAPPER.writeValueAsBytes(settings));
    }
    AtomicFiles.write(dir.resolve(fileName(method, seed)), Json.MAPPER.writeValueAsBytes(run));
  }

  /**
   * The run of {@code method} and {@code seed}: the kept one, or, unless {@code partial}, one made
   * by {@code train} and kept, when there is none or the kept one {@code failed} (a failed run is
   * tried again; {@code partial} shows it as it is); added to {@code runs} by method, if any.
   */
  <R> void collect(
      String method,
      long seed,
      Class<R> type,
      boolean partial,
      Predicate<R> failed,
      Supplier<R> train,
      Map<String, List<R>> runs)
      throws IOException {
    R run = kept(method, seed, type);
    if (!partial && (run == null || failed.test(run))) {
      run = train.get();
      keep(method, seed, run);
    }
    if (run != null) {
      runs.computeIfAbsent(method, k -> new ArrayList<>()).add(run);
    }
  }

  /** The file that keeps a method's run of a seed. */
  static String fileName(String method, long seed) {
    return FileNames.slug(method) + "-seed" + seed + ".json";
  }
}
