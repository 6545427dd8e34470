package dev.dropwise.cli;

import dev.dropwise.data.ClassificationData;
import dev.dropwise.data.Dataset;
import dev.dropwise.export.MonteCarlo;
import dev.dropwise.export.ServingModel;
import dev.dropwise.train.ConsoleProgress;
import dev.dropwise.util.AtomicFiles;
import dev.dropwise.util.OutputFiles;
import dev.dropwise.util.ParameterException;
import dev.dropwise.util.TextTable;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "predict",
    mixinStandardHelpOptions = true,
    description =
        "Class probabilities of test images from an exported model: deterministic (serving_default), "
            + "or with --mc N the mean and standard deviation over N Monte Carlo dropout samples (mc_dropout) "
            + "and each example's predictive entropy, expected entropy, mutual information and variation ratio.")
final class PredictCommand implements Callable<Integer> {
  @Mixin DataOption data = new DataOption();

  @Mixin ModelDirOption model = new ModelDirOption();

  @Option(
      names = "--mc",
      paramLabel = "N",
      description = "Monte Carlo dropout with N samples (>= 2).")
  Integer samples;

  @Option(
      names = "--mc-masks",
      paramLabel = "independent|shared",
      description =
          "With --mc: each example its own masks in a pass (independent, the default), or one mask "
              + "per pass for every example (shared: the same N networks for all inputs, as "
              + "BatchBALD needs).")
  String masks;

  @Option(
      names = "--mc-sampling",
      paramLabel = "frozen|live",
      description =
          "With --mc, for importance-guided dropout: each unit at the rate training left it "
              + "(frozen, the default), or masks drawn from the importance of the examples being "
              + "predicted (live; an export made right after training).")
  String sampling;

  @Option(
      names = "--limit",
      defaultValue = "1000",
      description = "The first N test images. Default: ${DEFAULT-VALUE}")
  int limit;

  @Option(
      names = "--out",
      defaultValue = "out/predictions.csv",
      description =
          "One row per image: label, predicted class, probabilities (under --mc with their std, "
              + "entropy, expected_entropy, mutual_information and variation_ratio; else the logits). "
              + "Default: ${DEFAULT-VALUE}")
  Path out;

  /**
   * The predictions table's first columns, by which dropwise knows a table of its own, which it may
   * replace.
   */
  private static final String HEADER = "example,label,predicted";

  private static final OutputFiles.Kind OWN_PREDICTIONS =
      OutputFiles.Kind.beginningWith(HEADER + ",");

  @Override
  public Integer call() throws Exception {
    data.check();
    model.check();
    MonteCarloChecks.check(samples, limit);
    MonteCarlo.Masks mcMasks =
        masks == null ? MonteCarlo.Masks.INDEPENDENT : MonteCarlo.Masks.parse(masks, "mcMasks");
    if (masks != null && samples == null) {
      throw new IllegalArgumentException(
          "--mc-masks " + masks + " says how Monte Carlo passes draw their masks: give --mc N");
    }
    MonteCarlo.Sampling mcSampling =
        sampling == null
            ? MonteCarlo.Sampling.FROZEN
            : MonteCarlo.Sampling.parse(sampling, "sampling");
    if (sampling != null && samples == null) {
      throw new IllegalArgumentException(
          "--mc-sampling "
              + sampling
              + " says how Monte Carlo passes sample importance-guided dropout: give --mc N");
    }
    OutputFiles.check("--out", out, OWN_PREDICTIONS);
    Dataset test;
    List<String> names;
    float[] mean;
    float[] std = null;
    MonteCarlo mc = null;
    float[] logits = null;
    int classes;
    try (ServingModel serving = ServingModel.load(model.dir)) {
      ClassificationData loaded = data.loadFor(serving, model.dir);
      test = loaded.test().head(limit);
      names = loaded.classNames();
      MonteCarloChecks.checkModel(samples, serving, model.dir);
      if (mcSampling == MonteCarlo.Sampling.LIVE && !serving.samplesLive()) {
        throw new ParameterException("sampling", "live", ServingModel.LIVE_NEEDS);
      }
      if (samples == null) {
        ServingModel.Prediction p = serving.predict(test.features(), test.size());
        mean = p.probabilities();
        logits = p.logits();
        classes = p.classes();
      } else {
        ConsoleProgress.Counter progress =
            ConsoleProgress.counter(System.out, "Monte Carlo samples", samples);
        try (progress) {
          mc =
              serving.predictMonteCarlo(
                  test.features(),
                  test.size(),
                  samples,
                  new MonteCarlo.Draw(mcMasks, mcSampling),
                  progress);
        }
        mean = mc.mean();
        std = mc.std();
        classes = mc.classes();
      }
    }
    StringBuilder csv = new StringBuilder(HEADER);
    for (int c = 0; c < classes; c++) {
      csv.append(",p_").append(c);
    }
    if (mc != null) {
      for (int c = 0; c < classes; c++) {
        csv.append(",std_").append(c);
      }
      csv.append(",entropy,expected_entropy,mutual_information,variation_ratio");
    }
    if (logits != null) {
      for (int c = 0; c < classes; c++) {
        csv.append(",logit_").append(c);
      }
    }
    csv.append('\n');
    TextTable table =
        mc == null
            ? new TextTable("example", "label", "predicted", "probability")
            : new TextTable("example", "label", "predicted", "probability", "std", "entropy", "MI");
    int correct = 0;
    for (int i = 0; i < test.size(); i++) {
      int best = 0;
      for (int c = 1; c < classes; c++) {
        if (mean[i * classes + c] > mean[i * classes + best]) {
          best = c;
        }
      }
      correct += best == test.labels()[i] ? 1 : 0;
      csv.append(i).append(',').append(test.labels()[i]).append(',').append(best);
      for (int c = 0; c < classes; c++) {
        csv.append(',').append(mean[i * classes + c]);
      }
      if (mc != null) {
        for (int c = 0; c < classes; c++) {
          csv.append(',').append(std[i * classes + c]);
        }
        csv.append(',').append(mc.entropy()[i]);
        csv.append(',').append(mc.expectedEntropy()[i]);
        csv.append(',').append(mc.mutualInformation()[i]);
        csv.append(',').append(mc.variationRatio()[i]);
      }
      if (logits != null) {
        for (int c = 0; c < classes; c++) {
          csv.append(',').append(logits[i * classes + c]);
        }
      }
      csv.append('\n');
      if (i < 10 && mc == null) {
        table.row(
            i,
            names.get(test.labels()[i]),
            names.get(best),
            String.format(Locale.ROOT, "%.3f", mean[i * classes + best]));
      } else if (i < 10) {
        table.row(
            i,
            names.get(test.labels()[i]),
            names.get(best),
            String.format(Locale.ROOT, "%.3f", mean[i * classes + best]),
            String.format(Locale.ROOT, "± %.3f", std[i * classes + best]),
            String.format(Locale.ROOT, "%.3f", mc.entropy()[i]),
            String.format(Locale.ROOT, "%.3f", mc.mutualInformation()[i]));
      }
    }
    System.out.println(
        (samples == null ? "serving_default" : "mc_dropout, " + samples + " samples")
            + " on "
            + test.size()
            + " test examples; the first 10:");
    System.out.print(table);
    System.out.printf(
        Locale.ROOT,
        "accuracy of the %s: %.4f%n",
        samples == null ? "prediction" : "mean prediction",
        (double) correct / test.size());
    if (mc != null) {
      System.out.printf(
          Locale.ROOT,
          "mean over the examples, in nats: predictive entropy %.4f = expected entropy %.4f "
              + "(aleatoric) + mutual information %.4f (epistemic); variation ratio %.4f%n",
          average(mc.entropy()),
          average(mc.expectedEntropy()),
          average(mc.mutualInformation()),
          average(mc.variationRatio()));
    }
    AtomicFiles.write(out, csv.toString());
    System.out.println("predictions: " + out);
    return 0;
  }

  private static double average(float[] values) {
    double sum = 0;
    for (float v : values) {
      sum += v;
    }
    return sum / values.length;
  }
}
