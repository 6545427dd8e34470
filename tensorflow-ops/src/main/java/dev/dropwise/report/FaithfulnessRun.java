package dev.dropwise.report;

import dev.dropwise.analysis.FaithfulnessEvaluation;
import dev.dropwise.analysis.InputExplainer;
import dev.dropwise.analysis.RandomisationCheck;
import dev.dropwise.analysis.UnitFlipping;
import dev.dropwise.data.ClassificationData;
import dev.dropwise.data.Dataset;
import dev.dropwise.dropout.DropoutSpec;
import dev.dropwise.dropout.NoDropout;
import dev.dropwise.importance.ImportanceSpec;
import dev.dropwise.importance.InputAttribution;
import dev.dropwise.importance.InputAttributions;
import dev.dropwise.model.Architecture;
import dev.dropwise.model.ModelSpec;
import dev.dropwise.network.Activation;
import dev.dropwise.network.FeatureShape;
import dev.dropwise.network.Initializer;
import dev.dropwise.report.FaithfulnessPlan.Budget;
import dev.dropwise.report.FaithfulnessPlan.Model;
import dev.dropwise.train.ProgressListener;
import dev.dropwise.train.RunSeeds;
import dev.dropwise.train.TrainConfig;
import dev.dropwise.train.Trainer;
import dev.dropwise.train.TrainingRun;
import dev.dropwise.util.Errors;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One model of the faithfulness study as its runs directory keeps it: trained with the plan's
 * dropout on a seed, then every input attribution's pixel flipping and randomisation check and
 * every hidden-unit measure's unit flipping, on the first test examples.
 *
 * @param attributions by attribution's text, the random ranking ({@code random}) first
 * @param units by measure's text, the random removal first
 * @param error why the run failed, or null
 */
record FaithfulnessRun(
    String model,
    long seed,
    int epochs,
    double seconds,
    double accuracy,
    Map<String, Scores> attributions,
    Map<String, Scores> units,
    String error) {

  /**
   * One ranking's measures: AOPC of the most- and least-relevant-first curves, their gap, and the
   * mean rank correlation with every layer re-initialised (NaN where there is none: the random
   * ranking, the hidden-unit measures, a map that ranks nothing).
   */
  record Scores(double aopcMorf, double aopcLerf, double gap, double rho) {}

  /** The share of a Fashion-MNIST model's training images held out for early stopping. */
  static final double VALIDATION = 0.1;

  boolean failed() {
    return error != null;
  }

  /**
   * {@code model} trained on {@code data} with {@code method} and {@code seed}, up to the budget's
   * epochs with early stopping on a validation split the seed draws: the study's one way to train.
   */
  static TrainingRun train(
      Model model,
      String method,
      Budget budget,
      long seed,
      ClassificationData data,
      ProgressListener progress)
      throws IOException {
    Architecture architecture = Architecture.parse(model.layers());
    ModelSpec spec =
        architecture.build(
            architecture.input(data),
            data.train().classCount(),
            Activation.RELU,
            Initializer.HE_UNIFORM,
            DropoutSpec.parse(method),
            new NoDropout());
    TrainConfig config =
        TrainConfig.defaults()
            .withEpochs(budget.maxEpochs())
            .withPatience(budget.patience())
            .withSeeds(RunSeeds.from(seed));
    Dataset.Split split = data.train().split(VALIDATION, RunSeeds.from(seed).shuffle());
    return Trainer.train(spec, split.train(), split.validation(), config, progress);
  }

  /**
   * Trains {@code model} on {@code data} (scaled) with {@code seed} and measures it as {@code
   * budget} says; a run that fails comes back failed, with its error.
   */
  static FaithfulnessRun of(
      Model model, Budget budget, long seed, ClassificationData data, ProgressListener progress) {
    long start = System.nanoTime();
    try (TrainingRun run = train(model, budget.method(), budget, seed, data, progress)) {
      ModelSpec spec = run.model().spec();
      Map<String, float[]> values = run.model().variableValues();
      Dataset test = data.test().head(budget.explained());
      boolean maps = spec.withoutDropout().outputShapes().stream().anyMatch(FeatureShape::map);
      List<InputAttribution> attributions = new ArrayList<>();
      for (String text : budget.attributions()) {
        InputAttribution a = InputAttributions.parse(text);
        if (maps || !a.name().equals("grad-cam")) {
          attributions.add(a);
        }
      }
      Map<String, Scores> byAttribution = new LinkedHashMap<>();
      for (FaithfulnessEvaluation.Result r :
          FaithfulnessEvaluation.evaluate(
              spec,
              values::get,
              attributions,
              InputExplainer.spaceOf(data.preprocessing(), data.train()),
              test,
              // A table of fewer features than steps is flipped a feature a step.
              Math.min(budget.steps(), test.featureCount()),
              seed)) {
        List<RandomisationCheck.Step> cascade = r.randomisation();
        byAttribution.put(
            r.attribution(),
            new Scores(
                r.morf().aopc(),
                r.lerf().aopc(),
                r.gap(),
                cascade.isEmpty() ? Double.NaN : cascade.get(cascade.size() - 1).spearman()));
      }
      Map<String, Scores> byUnits = new LinkedHashMap<>();
      for (UnitFlipping.Result r :
          UnitFlipping.evaluate(
              spec,
              values::get,
              budget.units().stream().map(ImportanceSpec::parse).toList(),
              test,
              seed)) {
        byUnits.put(
            r.measure(),
            new Scores(
                UnitFlipping.Result.aopc(r.morf()),
                UnitFlipping.Result.aopc(r.lerf()),
                r.gap(),
                Double.NaN));
      }
      return new FaithfulnessRun(
          model.name(),
          seed,
          run.history().size(),
          (System.nanoTime() - start) / 1e9,
          run.model().evaluate(data.test()).accuracy(),
          byAttribution,
          byUnits,
          null);
    } catch (RuntimeException | IOException e) {
      return new FaithfulnessRun(
          model.name(),
          seed,
          0,
          (System.nanoTime() - start) / 1e9,
          0,
          Map.of(),
          Map.of(),
          Errors.describe(e));
    }
  }
}
