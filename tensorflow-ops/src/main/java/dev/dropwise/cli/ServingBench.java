package dev.dropwise.cli;

import dev.dropwise.bench.ServingBenchmark;
import dev.dropwise.export.ServingSpeed;
import dev.dropwise.util.TextTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * {@code bench --serving DIR,DIR2}: how fast exports serve ({@link ServingBenchmark}), each row
 * against the first model's at the same batch size, beside parameters, multiply-adds per example
 * (and how many times fewer than the first model's) and size on disk.
 */
final class ServingBench {
  @Option(
      names = "--serving",
      split = ",",
      paramLabel = "DIR",
      description =
          "Time serving_default of these exports (e.g. a model and its pruned copy) instead of training "
              + "steps: examples per second at each --serving-batches, each against the first model.")
  List<Path> models;

  @Option(
      names = "--serving-batches",
      split = ",",
      defaultValue = "1,256",
      description = "Default: ${DEFAULT-VALUE}")
  List<Integer> batches;

  @Option(
      names = "--serving-repeats",
      defaultValue = "5",
      description =
          "Timed runs of " + ServingSpeed.EXAMPLES + " examples each. Default: ${DEFAULT-VALUE}")
  int repeats;

  int run() throws Exception {
    if (repeats < 1 || batches.stream().anyMatch(b -> b < 1)) {
      throw new IllegalArgumentException(
          "--serving-batches " + batches + " --serving-repeats " + repeats + ": both must be >= 1");
    }
    TextTable table =
        new TextTable(
            "model",
            "network",
            "parameters",
            "multiply-adds",
            "fewer",
            "MB on disk",
            "batch",
            "median ms",
            "examples / s",
            "speed-up");
    for (Path dir : models) {
      if (!Files.isRegularFile(dir.resolve("saved_model.pb"))) {
        throw new IllegalArgumentException("--serving " + dir + ": no saved_model.pb there");
      }
    }
    System.out.printf(
        Locale.ROOT,
        "serving_default: %,d examples a run, median of %d runs each%n",
        ServingSpeed.EXAMPLES,
        repeats);
    List<ServingBenchmark.Row> rows = ServingBenchmark.run(models, batches, repeats);
    for (int i = 0; i < rows.size(); i++) {
      ServingBenchmark.Row r = rows.get(i);
      ServingBenchmark.Row first = rows.get(i % batches.size());
      table.row(
          r.model(),
          r.network().widths(),
          String.format(Locale.ROOT, "%,d", r.network().parameters()),
          String.format(Locale.ROOT, "%,d", r.network().multiplyAdds()),
          String.format(
              Locale.ROOT,
              "%.2fx",
              first.network().multiplyAdds() / (double) r.network().multiplyAdds()),
          String.format(Locale.ROOT, "%.1f", r.bytesOnDisk() / 1e6),
          r.batch(),
          String.format(Locale.ROOT, "%.1f", r.medianMs()),
          String.format(Locale.ROOT, "%,.0f", r.examplesPerSecond()),
          String.format(Locale.ROOT, "%.2fx", first.medianMs() / r.medianMs()));
    }
    System.out.print(table);
    return 0;
  }
}
