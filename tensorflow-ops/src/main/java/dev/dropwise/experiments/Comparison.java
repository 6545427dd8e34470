package dev.dropwise.experiments;

import dev.dropwise.data.ClassificationData;
import dev.dropwise.dropout.DropoutSpec;
import dev.dropwise.model.ModelSpec;
import dev.dropwise.train.EpochRecord;
import dev.dropwise.train.ProgressListener;
import dev.dropwise.train.TrainConfig;
import dev.dropwise.util.AtomicFiles;
import dev.dropwise.util.Json;
import dev.dropwise.util.OutputDirectories;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Several models (one per method, or method and architecture) trained with several seeds under the
 * same settings, each evaluated on the test set with dropout off; summarised as mean ± sample std.
 *
 * <p>With a runs directory the sweep is resumable: every finished run is saved there atomically
 * under a name derived from everything that shapes it, and a later sweep loads it instead of
 * training again. A run that fails is recorded with its error (and retried by the next sweep); the
 * others go on.
 */
public final class Comparison {
  private Comparison() {}

  /** One trained model's results; {@code error} is set (and the numbers NaN) when it failed. */
  public record Run(
      String method,
      long seed,
      double testLoss,
      double testAccuracy,
      int epochs,
      double seconds,
      List<EpochRecord> history,
      String error) {
    /** Whether the run failed ({@code error} is set). */
    public boolean failed() {
      return error != null;
    }
  }

  /** One model of a comparison: a dropout method and the network it is trained in. */
  public record Entry(DropoutSpec method, ModelSpec model) {}

  /**
   * The models of a comparison by the labels its tables show: the method's text, with {@code " @
   * 784-1024-1024-10"} when the entries span several architectures. A label twice is refused.
   */
  public static Map<String, ModelSpec> labelled(List<Entry> entries) {
    boolean oneArchitecture = entries.stream().map(e -> e.model().widths()).distinct().count() <= 1;
    Map<String, ModelSpec> models = new LinkedHashMap<>();
    for (Entry e : entries) {
      String label =
          oneArchitecture ? e.method().text() : e.method().text() + " @ " + e.model().widths();
      if (models.put(label, e.model()) != null) {
        throw new IllegalArgumentException(
            "methods: " + label + " is given twice; each method may appear once");
      }
    }
    return models;
  }

  /**
   * The line above a comparison's table: architecture (when there is one), epochs, batch size and
   * seeds.
   */
  public static String title(Map<String, ModelSpec> models, TrainConfig config, List<Long> seeds) {
    boolean oneArchitecture =
        models.values().stream().map(ModelSpec::widths).distinct().count() == 1;
    return (oneArchitecture ? models.values().iterator().next().widths() + ", " : "")
        + config.epochs()
        + (config.epochs() == 1 ? " epoch" : " epochs")
        + (config.patience() > 0 ? " at most, early stopping" : "")
        + ", batch "
        + config.batchSize()
        + ", seeds "
        + seeds;
  }

  /** A method's results over its seeds; {@code failed} runs are left out of the statistics. */
  public record Summary(
      String method,
      int runs,
      double accuracyMean,
      double accuracyStd,
      double lossMean,
      double lossStd,
      int epochs,
      double secondsMean,
      int failed) {}

  /**
   * Trains {@code methods} (name → model) with every seed. The seed drives initial weights, order,
   * masks and the validation split (a {@code validationFraction} share of {@code trainLimit} first
   * training examples, or all of them when null). Resumes from and saves to {@code runsDir} (null:
   * keep nothing); reports failures and resumed runs to {@code log}.
   */
  public static List<Run> run(
      ClassificationData data,
      Map<String, ModelSpec> methods,
      List<Long> seeds,
      TrainConfig base,
      double validationFraction,
      Integer trainLimit,
      BiFunction<String, Long, ProgressListener> progress,
      Path runsDir,
      PrintStream log)
      throws IOException {
    return run(
        data,
        methods,
        seeds,
        base,
        validationFraction,
        trainLimit,
        progress,
        runsDir,
        log,
        RunExecutor.LOCAL);
  }

  /**
   * {@link #run(ClassificationData, Map, List, TrainConfig, double, Integer, BiFunction, Path,
   * PrintStream)} with the runs trained by {@code executor} (here, or on a cluster). The runs
   * directory stays here: finished runs found in it are not handed out again, and each run that
   * comes back is written to it at once, so a sweep stopped at any point loses no finished run.
   */
  public static List<Run> run(
      ClassificationData data,
      Map<String, ModelSpec> methods,
      List<Long> seeds,
      TrainConfig base,
      double validationFraction,
      Integer trainLimit,
      BiFunction<String, Long, ProgressListener> progress,
      Path runsDir,
      PrintStream log,
      RunExecutor executor)
      throws IOException {
    if (runsDir != null) {
      OutputDirectories.check("runs directory", runsDir);
    }
    checkSeeds(seeds);
    int trainSize =
        trainLimit == null ? data.train().size() : Math.min(trainLimit, data.train().size());
    List<RunTask> tasks = new ArrayList<>();
    Map<RunTask, Run> results = new HashMap<>();
    Map<RunTask, Path> saved =
        new HashMap<>(); // where each run is kept; null without a runs directory
    List<RunTask> todo = new ArrayList<>();
    for (Map.Entry<String, ModelSpec> method : methods.entrySet()) {
      for (long seed : seeds) {
        RunTask task =
            new RunTask(
                method.getKey(), method.getValue(), seed, base, validationFraction, trainLimit);
        tasks.add(task);
        saved.put(task, SavedRuns.path(runsDir, task, trainSize, data));
        Run done = SavedRuns.loadFinished(saved.get(task));
        if (done != null) {
          log.println(
              "done before: "
                  + task.label()
                  + " seed "
                  + seed
                  + " ("
                  + saved.get(task).getFileName()
                  + ")");
          results.put(task, done);
        } else {
          todo.add(task);
        }
      }
    }
    boolean[] claimed = {
      false
    }; // the runs directory is created and marked once, when the first run is saved
    executor.execute(
        data,
        todo,
        progress,
        (task, result) -> {
          if (result.failed()) {
            log.println("FAILED: " + task.label() + " seed " + task.seed() + ": " + result.error());
          }
          Path file = saved.get(task);
          if (file != null) {
            try {
              if (!claimed[0]) {
                OutputDirectories.claim("runs directory", runsDir);
                claimed[0] = true;
              }
              AtomicFiles.write(file, Json.MAPPER.writeValueAsBytes(result));
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          }
          results.put(task, result);
        });
    return tasks.stream().map(results::get).toList();
  }

  /**
   * Refuses an empty list of seeds or one with a seed twice (it would repeat a run and count it
   * twice).
   */
  public static void checkSeeds(List<Long> seeds) {
    if (seeds.isEmpty()) {
      throw new IllegalArgumentException("no seeds given: at least one is needed");
    }
    if (seeds.size() != new HashSet<>(seeds).size()) {
      throw new IllegalArgumentException(
          "seeds "
              + seeds
              + " are not allowed: each seed may appear once (a repeated "
              + "seed repeats the same run and would count it twice in the statistics)");
    }
  }

  /**
   * The runs of {@link #run} that an earlier sweep into {@code runsDir} finished, training nothing:
   * a look at a long sweep in progress. Missing and failed runs are left out.
   */
  public static List<Run> finished(
      ClassificationData data,
      Map<String, ModelSpec> methods,
      List<Long> seeds,
      TrainConfig base,
      double validationFraction,
      Integer trainLimit,
      Path runsDir)
      throws IOException {
    List<Run> runs = new ArrayList<>();
    int trainSize =
        trainLimit == null ? data.train().size() : Math.min(trainLimit, data.train().size());
    for (Map.Entry<String, ModelSpec> method : methods.entrySet()) {
      for (long seed : seeds) {
        Run done =
            SavedRuns.loadFinished(
                SavedRuns.path(
                    runsDir,
                    new RunTask(
                        method.getKey(),
                        method.getValue(),
                        seed,
                        base,
                        validationFraction,
                        trainLimit),
                    trainSize,
                    data));
        if (done != null) {
          runs.add(done);
        }
      }
    }
    return runs;
  }

  /** The runs of each method, in the order the methods first appear. */
  public static Map<String, List<Run>> byMethod(List<Run> runs) {
    Map<String, List<Run>> byMethod = new LinkedHashMap<>();
    runs.forEach(r -> byMethod.computeIfAbsent(r.method(), k -> new ArrayList<>()).add(r));
    return byMethod;
  }

  /** Mean ± sample std per method, in the order the methods first appear. */
  public static List<Summary> summarize(List<Run> runs) {
    List<Summary> out = new ArrayList<>();
    byMethod(runs)
        .forEach(
            (method, all) -> {
              List<Run> mine = all.stream().filter(r -> !r.failed()).toList();
              double[] acc = mine.stream().mapToDouble(Run::testAccuracy).toArray();
              double[] loss = mine.stream().mapToDouble(Run::testLoss).toArray();
              double epochs = mine.stream().mapToInt(Run::epochs).average().orElse(0);
              out.add(
                  new Summary(
                      method,
                      mine.size(),
                      mean(acc),
                      std(acc),
                      mean(loss),
                      std(loss),
                      (int) Math.round(epochs),
                      mine.stream().mapToDouble(Run::seconds).average().orElse(0),
                      all.size() - mine.size()));
            });
    return out;
  }

  /** The mean; NaN for no values. */
  public static double mean(double[] v) {
    return Arrays.stream(v).average().orElse(Double.NaN);
  }

  /** Sample standard deviation (n − 1); 0 for fewer than two values. */
  public static double std(double[] v) {
    if (v.length < 2) {
      return 0;
    }
    double m = mean(v);
    return Math.sqrt(Arrays.stream(v).map(x -> (x - m) * (x - m)).sum() / (v.length - 1));
  }
}
