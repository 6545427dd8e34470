package dev.dropwise.experiments;

import dev.dropwise.data.Dataset;
import dev.dropwise.data.ImageClassificationData;
import dev.dropwise.model.ModelSpec;
import dev.dropwise.train.Evaluation;
import dev.dropwise.train.History;
import dev.dropwise.train.ProgressListener;
import dev.dropwise.train.RunSeeds;
import dev.dropwise.train.TrainConfig;
import dev.dropwise.train.Trainer;
import dev.dropwise.train.TrainingRun;
import dev.dropwise.util.TextTable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Several models (one per method) trained with several seeds under the same settings, each
 * evaluated on the test set with dropout off; summarised as mean ± sample std per method.
 */
public final class Comparison {
  private Comparison() {}

  /** One trained model's results. */
  public record Run(String method, long seed, double testLoss, double testAccuracy, int epochs, double seconds,
      History history) {}

  /** A method's results over its seeds. */
  public record Summary(String method, int runs, double accuracyMean, double accuracyStd, double lossMean,
      double lossStd, int epochs, double secondsMean) {}

  /**
   * Trains {@code methods} (name → model) with every seed. The seed drives initial weights,
   * order, masks and the validation split (a {@code validationFraction} share of {@code trainLimit}
   * first training examples, or all of them when null).
   */
  public static List<Run> run(
      ImageClassificationData data, Map<String, ModelSpec> methods, List<Long> seeds, TrainConfig base,
      double validationFraction, Integer trainLimit, BiFunction<String, Long, ProgressListener> progress)
      throws IOException {
    List<Run> runs = new ArrayList<>();
    Dataset train = trainLimit == null ? data.train() : data.train().head(trainLimit);
    for (Map.Entry<String, ModelSpec> method : methods.entrySet()) {
      for (long seed : seeds) {
        TrainConfig config = base.withSeeds(RunSeeds.from(seed));
        Dataset.Split split = train.split(validationFraction, config.seeds().shuffle());
        long start = System.nanoTime();
        try (TrainingRun run = Trainer.train(method.getValue(), split.train(), split.validation(), config,
            progress.apply(method.getKey(), seed))) {
          Evaluation test = run.model().evaluate(data.test());
          runs.add(new Run(method.getKey(), seed, test.loss(), test.accuracy(), run.history().size(),
              (System.nanoTime() - start) / 1e9, run.history()));
        }
      }
    }
    return runs;
  }

  /** Mean ± sample std per method, in the order the methods first appear. */
  public static List<Summary> summarize(List<Run> runs) {
    Map<String, List<Run>> byMethod = new LinkedHashMap<>();
    runs.forEach(r -> byMethod.computeIfAbsent(r.method(), k -> new ArrayList<>()).add(r));
    List<Summary> out = new ArrayList<>();
    byMethod.forEach((method, mine) -> {
      double[] acc = mine.stream().mapToDouble(Run::testAccuracy).toArray();
      double[] loss = mine.stream().mapToDouble(Run::testLoss).toArray();
      out.add(new Summary(method, mine.size(), mean(acc), std(acc), mean(loss), std(loss), mine.get(0).epochs(),
          mine.stream().mapToDouble(Run::seconds).average().orElse(0)));
    });
    return out;
  }

  public static String table(List<Summary> summaries) {
    TextTable table = new TextTable("method", "test accuracy", "test loss", "epochs", "seconds/run");
    for (Summary s : summaries) {
      table.row(s.method(), meanStd(s.accuracyMean(), s.accuracyStd(), s.runs()),
          meanStd(s.lossMean(), s.lossStd(), s.runs()), s.epochs(), String.format(Locale.ROOT, "%.1f", s.secondsMean()));
    }
    return table.toString();
  }

  public static String csv(List<Run> runs) {
    StringBuilder csv = new StringBuilder("method,seed,test_loss,test_accuracy,epochs,seconds\n");
    for (Run r : runs) {
      csv.append('"').append(r.method()).append("\",").append(r.seed()).append(',').append(r.testLoss()).append(',')
          .append(r.testAccuracy()).append(',').append(r.epochs()).append(',').append(r.seconds()).append('\n');
    }
    return csv.toString();
  }

  /** {@code mean ± std}, or just the mean for a single run. */
  static String meanStd(double mean, double std, int runs) {
    return runs < 2 ? String.format(Locale.ROOT, "%.4f", mean) : String.format(Locale.ROOT, "%.4f ± %.4f", mean, std);
  }

  static double mean(double[] v) {
    return Arrays.stream(v).average().orElse(Double.NaN);
  }

  /** Sample standard deviation (n − 1); 0 for fewer than two values. */
  static double std(double[] v) {
    if (v.length < 2) {
      return 0;
    }
    double m = mean(v);
    return Math.sqrt(Arrays.stream(v).map(x -> (x - m) * (x - m)).sum() / (v.length - 1));
  }
}
