package dev.dropwise.report;

import dev.dropwise.analysis.Predictions;
import dev.dropwise.data.ClassificationData;
import dev.dropwise.data.Dataset;
import dev.dropwise.export.ServingModel;
import dev.dropwise.model.ModelSpec;
import dev.dropwise.prune.FineTuning;
import dev.dropwise.prune.ModelPruning;
import dev.dropwise.prune.UnitRanking;
import dev.dropwise.report.PrunabilityPlan.Budget;
import dev.dropwise.train.ProgressListener;
import dev.dropwise.train.RunSeeds;
import dev.dropwise.train.TrainConfig;
import dev.dropwise.util.Errors;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One network of the prunability study as its runs directory keeps it: trained with {@code method},
 * its test accuracy and parameters, then pruned by each ranking to each share of every hidden
 * layer's units, as it is and after fine-tuning, each pruned copy's test accuracy and parameters.
 *
 * @param failedCuts the cuts that failed (a fine-tuning that diverged), each with its error; the
 *     others stand (null in runs kept before cuts could fail alone)
 * @param error why the run failed (the training, or its export), or null
 */
record PrunabilityRun(
    String method,
    long seed,
    int epochs,
    double seconds,
    double accuracy,
    long parameters,
    List<Cut> cuts,
    List<String> failedCuts,
    String error) {

  /**
   * The network pruned by {@code ranking} to {@code keep}, fine-tuned for {@code epochs} (0: not).
   */
  record Cut(String ranking, double keep, int fineTuneEpochs, double accuracy, long parameters) {}

  boolean failed() {
    return error != null;
  }

  /** The cut of {@code ranking}, {@code keep} and fine-tuning, or null when the run has none. */
  Cut cut(String ranking, double keep, int fineTuneEpochs) {
    return cuts.stream()
        .filter(
            c ->
                c.ranking().equals(ranking)
                    && c.keep() == keep
                    && c.fineTuneEpochs() == fineTuneEpochs)
        .findFirst()
        .orElse(null);
  }

  /**
   * Trains {@code method} on {@code data} (scaled; {@code validation} of it held out by {@code
   * seed}) with {@code seed}, then prunes it every way {@code budget} says, measuring each on
   * {@code test} (raw, as exports take it); a run that fails (divergence, a method refused) comes
   * back failed, with its error.
   */
  static PrunabilityRun of(
      String method,
      Budget budget,
      long seed,
      ClassificationData data,
      TrainConfig config,
      double validation,
      Dataset test,
      ProgressListener progress) {
    long start = System.nanoTime();
    ModelSpec spec = ReproductionReport.mlp(data, budget.hidden(), method);
    try (TrainedExport model =
        TrainedExport.train(spec, data, List.of(), config, validation, seed, seed, progress)) {
      Dataset.Split split = data.train().split(validation, RunSeeds.from(seed).shuffle());
      Dataset rankedOn =
          split.validation().head(Math.min(budget.rankedOn(), split.validation().size()));
      FineTuning tuning =
          new FineTuning(
              config
                  .withEpochs(budget.fineTuneEpochs())
                  .withPatience(0)
                  .withSeeds(RunSeeds.from(seed)),
              split,
              ProgressListener.NONE);
      List<Cut> cuts = new ArrayList<>();
      List<String> failed = new ArrayList<>();
      for (String ranking : budget.rankings()) {
        for (double keep : budget.shares()) {
          for (FineTuning fineTuning : new FineTuning[] {null, tuning}) {
            int epochs = fineTuning == null ? 0 : budget.fineTuneEpochs();
            Path out = model.folder().resolve("pruned");
            try {
              ModelPruning.prune(
                  model.serving(),
                  model.dir(),
                  List.of(keep),
                  new UnitRanking(ranking),
                  rankedOn,
                  seed,
                  1,
                  fineTuning,
                  out);
              try (ServingModel pruned = ServingModel.load(out)) {
                cuts.add(
                    new Cut(
                        ranking,
                        keep,
                        epochs,
                        Predictions.served(pruned, test).accuracy(),
                        pruned.network().parameters()));
              }
            } catch (RuntimeException e) {
              failed.add(
                  ranking
                      + " keeping "
                      + keep
                      + (epochs == 0 ? "" : " fine-tuned")
                      + ": "
                      + Errors.describe(e));
            }
          }
        }
      }
      return new PrunabilityRun(
          method,
          seed,
          model.epochs(),
          (System.nanoTime() - start) / 1e9,
          Predictions.served(model.serving(), test).accuracy(),
          model.serving().network().parameters(),
          cuts,
          failed,
          null);
    } catch (RuntimeException | IOException e) {
      return new PrunabilityRun(
          method,
          seed,
          0,
          (System.nanoTime() - start) / 1e9,
          0,
          0,
          List.of(),
          List.of(),
          Errors.describe(e));
    }
  }
}
