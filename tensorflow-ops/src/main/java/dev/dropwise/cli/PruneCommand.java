package dev.dropwise.cli;

import dev.dropwise.analysis.Predictions;
import dev.dropwise.data.ClassificationData;
import dev.dropwise.data.Dataset;
import dev.dropwise.data.Preprocessing;
import dev.dropwise.experiments.PruningSweep;
import dev.dropwise.export.SavedModelExport;
import dev.dropwise.export.ServingModel;
import dev.dropwise.prune.FineTuning;
import dev.dropwise.prune.ModelPruning;
import dev.dropwise.prune.UnitRanking;
import dev.dropwise.train.ConsoleProgress;
import dev.dropwise.train.TrainConfig;
import dev.dropwise.util.OutputDirectories;
import dev.dropwise.util.ParameterException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "prune",
    mixinStandardHelpOptions = true,
    description =
        "Remove the hidden units (channels of convolutions) that matter least from an exported network and export the smaller "
            + "model: units ranked by an importance measure, by the magnitude of their weights or at random; "
            + "in steps and fine-tuned if asked (--steps, --fine-tune-epochs); the test accuracy before and after. "
            + "--sweep: the curve of accuracy, size and speed over shares and rankings.")
final class PruneCommand implements Callable<Integer> {
  @Mixin DataOption data = new DataOption();
  @Mixin ModelDirOption model = new ModelDirOption();
  @Mixin TrainOptions training = new TrainOptions();
  @Spec CommandSpec command;

  @Option(
      names = "--keep",
      split = ",",
      paramLabel = "SHARE",
      description =
          "The share of each hidden layer's units to keep, in (0, 1]: one for every layer, or one per layer (0.6,0.4).")
  List<Double> keep;

  @Option(
      names = "--sweep",
      split = ",",
      paramLabel = "SHARE",
      description =
          "Instead of --keep, the curve to choose from: prune to each of these shares (of every layer) by each "
              + "ranking of --by (several separated by ';'), with and without --fine-tune-epochs; a table and "
              + "--out/sweep.csv of test accuracy, size and examples per second at batch "
              + PruningSweep.BATCH
              + ", the pruned models in --out, a chart with --plots.")
  List<Double> sweep;

  @Mixin PlotsOption plots = new PlotsOption();

  @Option(
      names = "--by",
      defaultValue = "conductance",
      description =
          "How units are ranked (with --sweep, several separated by ';'): an importance measure (conductance, lrp-eps, gradient-x-activation, ...: "
              + "each unit's mean |score| on --examples validation examples), magnitude-l1, magnitude-l2 "
              + "(the norm of its incoming weights) or random (by --seed). Default: ${DEFAULT-VALUE}")
  String by;

  @Option(
      names = "--examples",
      defaultValue = "1000",
      description =
          "Validation examples an importance measure is computed on (the first ones of the split "
              + "--val-fraction and --seed hold out of --data's training set, as train does; the training "
              + "examples with --val-fraction 0). Default: ${DEFAULT-VALUE}")
  int examples;

  @Option(
      names = "--steps",
      defaultValue = "1",
      description =
          "Prune in this many steps, each ranking the units anew and keeping keep^(1/steps) of them, "
              + "fine-tuned after each step with --fine-tune-epochs. Default: ${DEFAULT-VALUE}")
  int steps;

  @Option(
      names = "--fine-tune-epochs",
      defaultValue = "0",
      description =
          "Train the pruned network on for this many epochs after each step, from its pruned weights, "
              + "with its own dropout and the training options (--lr, --optimizer, --batch-size, ...); "
              + "0: no fine-tuning. Default: ${DEFAULT-VALUE}")
  int fineTuneEpochs;

  /** Training options that only fine-tuning uses; the split's options serve the ranking too. */
  private static final List<String> FINE_TUNING_ONLY =
      List.of(
          "--batch-size",
          "--optimizer",
          "--lr",
          "--momentum",
          "--init-seed",
          "--mask-seed",
          "--patience");

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description =
          "The pruned model, an ordinary dropwise export: new, empty or an earlier export; with --sweep, "
              + "a folder (new, empty or dropwise's) for the pruned models and sweep.csv.")
  Path out;

  @Override
  public Integer call() throws Exception {
    data.check();
    model.check();
    model.checkMetadata("prune");
    if ((keep == null) == (sweep == null)) {
      throw new IllegalArgumentException(
          "give --keep SHARE to prune once, or --sweep SHARE,SHARE,... for the curve (not both)");
    }
    List<UnitRanking> rankings = SpecLists.split(by).stream().map(UnitRanking::new).toList();
    if (sweep == null && rankings.size() > 1) {
      throw new ParameterException("--by", by, "one ranking; several only with --sweep");
    }
    if (sweep != null && steps != 1) {
      throw new IllegalArgumentException("--steps " + steps + " applies to --keep, not to --sweep");
    }
    if (sweep == null && plots.dir != null) {
      throw new IllegalArgumentException(
          "--plots " + plots.dir + " draws the chart of a sweep: give --sweep SHARES as well");
    }
    if (examples < 1) {
      throw new ParameterException("--examples", String.valueOf(examples), "must be >= 1");
    }
    if (fineTuneEpochs < 0) {
      throw new ParameterException(
          "--fine-tune-epochs", String.valueOf(fineTuneEpochs), "must be >= 0 (0: none)");
    }
    for (String option : FINE_TUNING_ONLY) {
      if (fineTuneEpochs == 0 && command.commandLine().getParseResult().hasMatchedOption(option)) {
        throw new IllegalArgumentException(
            option + " trains the pruned network: give --fine-tune-epochs E as well");
      }
    }
    // The split needs the seeds whether or not the network is fine-tuned.
    TrainConfig config =
        training.config("--fine-tune-epochs", Math.max(1, fineTuneEpochs), null, false);
    ModelPruning.checkOutside("--out", out, model.dir);
    if (sweep == null) {
      SavedModelExport.checkTarget("--out", out);
    } else {
      OutputDirectories.check("--out", out);
      plots.check();
      data.checkOutside("--plots", plots.dir);
    }
    data.checkOutside("--out", out);
    try (ServingModel serving = ServingModel.load(model.dir)) {
      if (sweep == null) {
        ModelPruning.check(serving, "--keep", keep, steps);
      } else {
        PruningSweep.check(serving, model.dir, sweep, rankings, fineTuneEpochs, out);
      }
      ClassificationData loaded = data.loadFor(serving, model.dir);
      Dataset.Split split = training.split(loaded, config);
      Preprocessing scaling = serving.preprocessing();
      Dataset.Split scaled =
          new Dataset.Split(scaling.apply(split.train()), scaling.apply(split.validation()));
      Dataset rankedOn = scaled.validation().size() > 0 ? scaled.validation() : scaled.train();
      rankedOn = rankedOn.head(Math.min(examples, rankedOn.size()));
      FineTuning fineTuning =
          fineTuneEpochs == 0
              ? null
              : new FineTuning(config, scaled, ConsoleProgress.create(System.out, "fine-tuning"));
      if (sweep != null) {
        OutputDirectories.claim("--out", out);
        List<PruningSweep.Point> points =
            PruningSweep.run(
                serving,
                model.dir,
                sweep,
                rankings,
                rankedOn,
                training.seed,
                fineTuning,
                loaded.test(),
                out,
                System.out);
        PruneSweepOutput.write(points, out, plots, model.dir.toString());
        return 0;
      }
      ModelPruning.Result pruned =
          ModelPruning.prune(
              serving,
              model.dir,
              keep,
              rankings.get(0),
              rankedOn,
              training.seed,
              steps,
              fineTuning,
              out);
      Dataset test = loaded.test();
      try (ServingModel smaller = ServingModel.load(out)) {
        System.out.printf(
            Locale.ROOT,
            "%s: %s, %,d parameters, test accuracy %.4f%n",
            model.dir,
            pruned.before().widths(),
            pruned.before().parameters(),
            Predictions.served(serving, test).accuracy());
        System.out.printf(
            Locale.ROOT,
            "%s: %s, %,d parameters, test accuracy %.4f (units ranked by %s%s)%n",
            out,
            pruned.after().widths(),
            pruned.after().parameters(),
            Predictions.served(smaller, test).accuracy(),
            by,
            (steps > 1 ? ", " + steps + " steps" : "")
                + (fineTuneEpochs > 0
                    ? ", fine-tuned " + PruningSweep.epochs(fineTuneEpochs) + " a step"
                    : ""));
      }
    }
    return 0;
  }
}
