package dev.dropwise.report;

import dev.dropwise.data.ClassificationData;
import dev.dropwise.data.Dataset;
import dev.dropwise.dropout.NoDropout;
import dev.dropwise.model.Architecture;
import dev.dropwise.model.ModelSpec;
import dev.dropwise.network.Activation;
import dev.dropwise.network.Initializer;
import dev.dropwise.report.RecurrentPlan.Arm;
import dev.dropwise.report.RecurrentPlan.Budget;
import dev.dropwise.train.Evaluation;
import dev.dropwise.train.OptimizerSpec;
import dev.dropwise.train.ProgressListener;
import dev.dropwise.train.RunSeeds;
import dev.dropwise.train.TrainConfig;
import dev.dropwise.train.Trainer;
import dev.dropwise.train.TrainingRun;
import dev.dropwise.util.Errors;
import java.io.IOException;

/**
 * One arm of the recurrent study on one seed, as its runs directory keeps it: the LSTM trained with
 * Adam on the sequences, early-stopped on a validation split, then its test accuracy and loss with
 * dropout off.
 *
 * @param error why the run failed, or null
 */
record RecurrentRun(
    String arm,
    long seed,
    int epochs,
    double seconds,
    double testAccuracy,
    double testLoss,
    String error) {

  /** The share of the training images held out for early stopping. */
  static final double VALIDATION = 0.1;

  boolean failed() {
    return error != null;
  }

  /** The model of {@code arm}: its LSTM over 28 steps of 28, then the 10 logits. */
  static ModelSpec model(Arm arm, Budget budget, ClassificationData data) {
    Architecture architecture = Architecture.parse(arm.layer(budget.units()));
    return architecture.build(
        architecture.input(data),
        data.train().classCount(),
        Activation.RELU,
        Initializer.HE_UNIFORM,
        new NoDropout(),
        new NoDropout());
  }

  /**
   * Trains {@code arm} on {@code data} with {@code seed} as {@code budget} says; a run that fails
   * comes back failed, with its error.
   */
  static RecurrentRun of(
      Arm arm, Budget budget, long seed, ClassificationData data, ProgressListener progress) {
    long start = System.nanoTime();
    TrainConfig config =
        TrainConfig.defaults()
            .withEpochs(budget.maxEpochs())
            .withPatience(budget.patience())
            .withBatchSize(budget.batch())
            .withOptimizer(new OptimizerSpec.Adam((float) budget.lr()))
            .withSeeds(RunSeeds.from(seed));
    Dataset.Split split = data.train().split(VALIDATION, RunSeeds.from(seed).shuffle());
    try (TrainingRun run =
        Trainer.train(
            model(arm, budget, data), split.train(), split.validation(), config, progress)) {
      Evaluation test = run.model().evaluate(data.test());
      return new RecurrentRun(
          arm.name(),
          seed,
          run.history().size(),
          (System.nanoTime() - start) / 1e9,
          test.accuracy(),
          test.loss(),
          null);
    } catch (RuntimeException | IOException e) {
      return new RecurrentRun(
          arm.name(), seed, 0, (System.nanoTime() - start) / 1e9, 0, 0, Errors.describe(e));
    }
  }
}
