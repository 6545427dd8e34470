package dev.dropwise.experiments;

import dev.dropwise.data.ClassificationData;
import dev.dropwise.dropout.DropoutSpec;
import dev.dropwise.model.ModelSpec;
import dev.dropwise.network.Activation;
import dev.dropwise.network.Initializer;
import dev.dropwise.ops.SectorWiseRules;
import dev.dropwise.train.ProgressListener;
import dev.dropwise.train.TrainConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;

/** Accuracy and loss against the dropout rate (seed 004's "visualising dropout's effect"). */
public final class RateSweep {
  private RateSweep() {}

  /**
   * One method at one rate, over the seeds.
   *
   * @param dropped the share of units a mask drops: the rate itself for standard dropout (in
   *     expectation), exactly round(rate·n) / n for sector-wise dropout, so rates that round to the
   *     same count are the same model
   */
  public record Point(
      String method,
      double rate,
      double dropped,
      double accuracyMean,
      double accuracyStd,
      double lossMean,
      double lossStd) {}

  /** What one trained specification of the sweep stands for. */
  private record Setting(String method, double rate, double dropped) {}

  /**
   * Standard dropout at every rate, and sector-wise dropout with sectors of {@code n} at every rate
   * whose drop count round(rate·n) lies in [1, n−1].
   */
  public static List<Point> run(
      ClassificationData data,
      List<Integer> hidden,
      double[] rates,
      int n,
      List<Long> seeds,
      TrainConfig config,
      double validationFraction,
      Integer limit,
      BiFunction<String, Long, ProgressListener> progress,
      Path runsDir,
      PrintStream log)
      throws IOException {
    return run(
        data,
        hidden,
        rates,
        n,
        seeds,
        config,
        validationFraction,
        limit,
        progress,
        runsDir,
        log,
        RunExecutor.LOCAL);
  }

  /** {@link #run} with the runs trained by {@code executor}. */
  public static List<Point> run(
      ClassificationData data,
      List<Integer> hidden,
      double[] rates,
      int n,
      List<Long> seeds,
      TrainConfig config,
      double validationFraction,
      Integer limit,
      BiFunction<String, Long, ProgressListener> progress,
      Path runsDir,
      PrintStream log,
      RunExecutor executor)
      throws IOException {
    if (n < 2) {
      throw new IllegalArgumentException(
          "n=" + n + " is not allowed: a sector needs at least 2 units");
    }
    if (rates.length == 0) {
      throw new IllegalArgumentException("rates is empty: give at least one rate in [0, 1)");
    }
    Map<String, ModelSpec> specs = new LinkedHashMap<>();
    Map<String, Setting> settings = new LinkedHashMap<>();
    for (double rate : rates) {
      add(
          specs,
          settings,
          data,
          hidden,
          String.format(Locale.ROOT, "standard:p=%s", rate),
          new Setting("standard", rate, rate));
      int m = SectorWiseRules.dropCount(n, rate);
      if (m >= 1 && m <= n - 1) {
        add(
            specs,
            settings,
            data,
            hidden,
            String.format(Locale.ROOT, "sector:n=%d,p=%s", n, rate),
            new Setting("sector-wise", rate, m / (double) n));
      }
    }
    List<Comparison.Summary> summaries =
        Comparison.summarize(
            Comparison.run(
                data,
                specs,
                seeds,
                config,
                validationFraction,
                limit,
                progress,
                runsDir,
                log,
                executor));
    List<Point> points = new ArrayList<>();
    for (Comparison.Summary s : summaries) {
      Setting setting = settings.get(s.method());
      points.add(
          new Point(
              setting.method(),
              setting.rate(),
              setting.dropped(),
              s.accuracyMean(),
              s.accuracyStd(),
              s.lossMean(),
              s.lossStd()));
    }
    return points;
  }

  private static void add(
      Map<String, ModelSpec> specs,
      Map<String, Setting> settings,
      ClassificationData data,
      List<Integer> hidden,
      String text,
      Setting setting) {
    specs.put(
        text,
        ModelSpec.mlp(
            data.train().featureCount(),
            hidden,
            Activation.RELU,
            Initializer.HE_UNIFORM,
            DropoutSpec.parse(text),
            data.train().classCount()));
    settings.put(text, setting);
  }
}
