package dev.dropwise.cli;

import dev.dropwise.analysis.Predictions;
import dev.dropwise.data.ClassificationData;
import dev.dropwise.data.Dataset;
import dev.dropwise.export.SavedModelExport;
import dev.dropwise.export.ServingModel;
import dev.dropwise.prune.ModelPruning;
import dev.dropwise.prune.UnitRanking;
import dev.dropwise.util.ParameterException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "prune",
    mixinStandardHelpOptions = true,
    description =
        "Remove the hidden units (channels of convolutions) that matter least from an exported network and export the smaller "
            + "model: units ranked by an importance measure, by the magnitude of their weights or at random; "
            + "the test accuracy before and after.")
final class PruneCommand implements Callable<Integer> {
  @Mixin DataOption data = new DataOption();
  @Mixin ModelDirOption model = new ModelDirOption();

  @Option(
      names = "--keep",
      required = true,
      split = ",",
      paramLabel = "SHARE",
      description =
          "The share of each hidden layer's units to keep, in (0, 1]: one for every layer, or one per layer (0.6,0.4).")
  List<Double> keep;

  @Option(
      names = "--by",
      defaultValue = "conductance",
      description =
          "How units are ranked: an importance measure (conductance, lrp-eps, gradient-x-activation, ...: "
              + "each unit's mean |score| on --examples training examples), magnitude-l1, magnitude-l2 "
              + "(the norm of its incoming weights) or random. Default: ${DEFAULT-VALUE}")
  String by;

  @Option(
      names = "--examples",
      defaultValue = "1000",
      description =
          "Training examples of --data an importance measure is computed on (the first ones). Default: ${DEFAULT-VALUE}")
  int examples;

  @Option(
      names = "--seed",
      defaultValue = "1",
      description = "Seeds the random ranking. Default: ${DEFAULT-VALUE}")
  long seed;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description =
          "The pruned model, an ordinary dropwise export: new, empty or an earlier export.")
  Path out;

  @Override
  public Integer call() throws Exception {
    data.check();
    model.check();
    model.checkMetadata("prune");
    UnitRanking ranking = new UnitRanking(by);
    if (examples < 1) {
      throw new ParameterException("--examples", String.valueOf(examples), "must be >= 1");
    }
    if (out.toAbsolutePath().normalize().startsWith(model.dir.toAbsolutePath().normalize())) {
      throw new IllegalArgumentException(
          "--out "
              + out
              + " is not allowed inside --model "
              + model.dir
              + ": the model pruned is read, never written; choose a path outside it");
    }
    SavedModelExport.checkTarget("--out", out);
    data.checkOutside("--out", out);
    try (ServingModel serving = ServingModel.load(model.dir)) {
      ModelPruning.check(serving, keep);
      ClassificationData loaded = data.loadFor(serving, model.dir);
      ModelPruning.Result pruned =
          ModelPruning.prune(
              serving,
              model.dir,
              keep,
              ranking,
              serving.preprocessing().apply(loaded.train().head(examples)),
              seed,
              out);
      Dataset test = loaded.test();
      try (ServingModel smaller = ServingModel.load(out)) {
        System.out.printf(
            Locale.ROOT,
            "%s: %s, %,d parameters, test accuracy %.4f%n",
            model.dir,
            pruned.before().widths(),
            pruned.before().parameters(),
            accuracy(serving, test));
        System.out.printf(
            Locale.ROOT,
            "%s: %s, %,d parameters, test accuracy %.4f (units ranked by %s)%n",
            out,
            pruned.after().widths(),
            pruned.after().parameters(),
            accuracy(smaller, test),
            by);
      }
    }
    return 0;
  }

  private static double accuracy(ServingModel model, Dataset test) {
    ServingModel.Prediction p = model.predict(test.features(), test.size());
    return new Predictions(p.probabilities(), test.labels(), p.classes()).accuracy();
  }
}
