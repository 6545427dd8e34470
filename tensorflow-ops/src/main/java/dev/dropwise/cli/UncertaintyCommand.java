package dev.dropwise.cli;

import dev.dropwise.analysis.UncertaintyEvaluation;
import dev.dropwise.data.ClassificationData;
import dev.dropwise.data.DataSource;
import dev.dropwise.data.Dataset;
import dev.dropwise.data.Shift;
import dev.dropwise.export.MonteCarlo;
import dev.dropwise.export.ServingModel;
import dev.dropwise.train.ConsoleProgress;
import dev.dropwise.util.OutputDirectories;
import dev.dropwise.util.ParameterException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.function.IntConsumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "uncertainty",
    mixinStandardHelpOptions = true,
    description =
        "How trustworthy an exported model's uncertainty is on the test set: accuracy, negative "
            + "log-likelihood, Brier score, ECE (15 equal-width bins) and adaptive ECE, the reliability "
            + "diagram's bins and the risk-coverage curve with its area (AURC); with --ood, how well "
            + "each uncertainty score detects examples from another source (AUROC, FPR at 95%% TPR). "
            + "serving_default and Monte Carlo dropout side by side.")
final class UncertaintyCommand implements Callable<Integer> {
  @Mixin DataOption data = new DataOption();

  @Mixin ModelDirOption model = new ModelDirOption();

  @Option(
      names = "--mc",
      paramLabel = "T",
      description =
          "Monte Carlo dropout passes (>= 2). Default: 50 where the model has the mc_dropout "
              + "signature, else serving_default alone.")
  Integer samples;

  @Option(
      names = "--mc-masks",
      paramLabel = "independent|shared",
      defaultValue = "independent",
      description =
          "Each example its own masks in a pass, or one mask per pass for every example "
              + "(shared). Default: ${DEFAULT-VALUE}")
  String masks;

  @Option(
      names = "--mc-sampling",
      paramLabel = "frozen|live",
      defaultValue = "frozen",
      description =
          "Importance-guided dropout at each unit's rate as training left it (frozen), or drawn "
              + "from the importance of the examples being measured (live; an export made right "
              + "after training). Default: ${DEFAULT-VALUE}")
  String sampling;

  @Option(
      names = "--ood",
      paramLabel = "SOURCE",
      description =
          "Examples from outside the training distribution (any --data source, all of its examples), "
              + "for out-of-distribution detection.")
  String ood;

  @Option(
      names = "--ood-classes",
      paramLabel = "CLASS,...",
      description =
          "The test examples of these classes (names or indices) are the out-of-distribution "
              + "examples, the others the test set. Default: the classes the export was trained "
              + "without (train --ood-classes), if any.")
  String oodClasses;

  @Option(
      names = "--shifts",
      paramLabel = "all|SHIFT,...",
      description =
          "Also measure the test set shifted at five severities each (images only): "
              + "noise, blur, rotation, contrast, shuffle, or all; written to shifts.csv.")
  String shifts;

  @Option(
      names = "--limit",
      defaultValue = "10000",
      description = "At most N examples of each test set. Default: ${DEFAULT-VALUE}")
  int limit;

  @Option(
      names = "--out",
      defaultValue = "out/uncertainty",
      description =
          "Directory for measures.csv, reliability.csv and risk_coverage.csv; new, empty or "
              + "dropwise's own. Default: ${DEFAULT-VALUE}")
  Path out;

  /** The passes when the model has the signature and --mc is not given. */
  static final int DEFAULT_SAMPLES = 50;

  @Override
  public Integer call() throws Exception {
    data.check();
    model.check();
    MonteCarloChecks.check(samples, limit);
    List<Shift> shifted = shifts == null ? List.of() : Shift.parseList(shifts, "shifts");
    MonteCarlo.Draw draw =
        new MonteCarlo.Draw(
            MonteCarlo.Masks.parse(masks, "mcMasks"),
            MonteCarlo.Sampling.parse(sampling, "sampling"));
    if (ood != null && oodClasses != null) {
      throw new IllegalArgumentException(
          "--ood "
              + ood
              + " and --ood-classes "
              + oodClasses
              + ": give one source of out-of-distribution examples");
    }
    OutputDirectories.check("--out", out);
    data.checkOutside("--out", out);
    if (ood != null) {
      for (Path source : DataSource.parse(ood, "ood").paths()) {
        OutputDirectories.checkOutside("--out", out, "--ood", source);
      }
    }
    List<UncertaintyEvaluation.Result> results;
    List<UncertaintyEvaluation.ShiftResult> underShift = List.of();
    int examples;
    try (ServingModel serving = ServingModel.load(model.dir)) {
      MonteCarloChecks.checkModel(samples, serving, model.dir);
      if (draw.sampling() == MonteCarlo.Sampling.LIVE && !serving.samplesLive()) {
        throw new ParameterException("sampling", "live", ServingModel.LIVE_NEEDS);
      }
      if (draw.masks() == MonteCarlo.Masks.SHARED && !serving.hasMonteCarlo()) {
        throw new IllegalArgumentException(
            "--mc-masks shared: "
                + model.dir
                + " has no mc_dropout signature; "
                + ServingModel.MONTE_CARLO_NEEDS);
      }
      ClassificationData loaded = data.loadFor(serving, model.dir);
      if (!shifted.isEmpty() && !loaded.images()) {
        throw new IllegalArgumentException(
            "--shifts "
                + shifts
                + ": the shifts work on images, and the data's examples have the shape "
                + loaded.shape());
      }
      UncertaintyEvaluation.TestSets sets =
          UncertaintyEvaluation.split(
              serving,
              loaded.test(),
              oodClasses == null ? null : List.of(oodClasses.split(",", -1)),
              "oodClasses",
              ood != null);
      Dataset test = sets.known();
      Dataset outside = ood == null ? sets.unknown() : data.loadOutside(ood, serving);
      if (sets.held() != null && ood == null) {
        System.out.println("out-of-distribution examples: the test set's " + sets.held());
      }
      test = test.head(limit);
      outside = outside == null ? null : outside.head(limit);
      int passes = samples != null ? samples : serving.hasMonteCarlo() ? DEFAULT_SAMPLES : 0;
      if (serving.temperature() != 1) {
        System.out.printf(
            Locale.ROOT,
            "serving_default divides its logits by the temperature %.4f (train --calibrate); "
                + "the Monte Carlo passes do not%n",
            serving.temperature());
      }
      examples = test.size();
      Dataset in = test;
      Dataset out = outside;
      results =
          counted(
              "Monte Carlo passes",
              passes,
              progress -> UncertaintyEvaluation.evaluate(serving, in, out, passes, draw, progress));
      if (passes == 0) {
        System.out.println(
            "serving_default alone: the model has no mc_dropout signature ("
                + ServingModel.MONTE_CARLO_NEEDS
                + ")");
      }
      List<UncertaintyEvaluation.Result> unshifted = results;
      underShift =
          counted(
              "Monte Carlo passes under shift",
              passes * shifted.size() * Shift.SEVERITIES,
              progress ->
                  UncertaintyEvaluation.underShifts(
                      serving, in, loaded.shape(), shifted, unshifted, passes, draw, progress));
    }
    UncertaintyOutput.print(results, examples);
    UncertaintyOutput.printShifts(underShift);
    OutputDirectories.claim("--out", out);
    UncertaintyOutput.write(out, results, underShift);
    System.out.println(
        "measures, reliability bins and risk-coverage curves"
            + (underShift.isEmpty() ? "" : ", measures under shift")
            + ": "
            + out);
    return 0;
  }

  /** {@code task}'s result, its progress of {@code total} units shown (none when 0). */
  private static <T> T counted(String label, int total, Function<IntConsumer, T> task) {
    if (total == 0) {
      return task.apply(done -> {});
    }
    try (ConsoleProgress.Counter progress = ConsoleProgress.counter(System.out, label, total)) {
      return task.apply(progress);
    }
  }
}
