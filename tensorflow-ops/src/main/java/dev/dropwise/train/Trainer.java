package dev.dropwise.train;

import dev.dropwise.data.Dataset;
import dev.dropwise.model.ModelSpec;
import dev.dropwise.util.Seeds;
import java.io.IOException;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * Mini-batch training: a seeded shuffle per epoch, one {@link ModelSession#step} per batch with
 * the global step keying the masks, validation after each epoch, early stopping on validation
 * loss, a checkpoint after each epoch and resume from the last one.
 *
 * <p>Everything random is a function of the run seeds and the epoch or step, so a resumed run
 * continues exactly where the killed one stopped.
 */
public final class Trainer {
  private Trainer() {}

  /**
   * Trains a new model.
   *
   * @param validation may be empty (size 0): then no validation columns and no early stopping
   */
  public static TrainingRun train(
      ModelSpec spec, Dataset train, Dataset validation, TrainConfig config, ProgressListener progress)
      throws IOException {
    if (config.patience() > 0 && validation.size() == 0) {
      throw new IllegalArgumentException("early stopping (patience=" + config.patience() + ") needs a validation set");
    }
    if (train.featureCount() != spec.inputs()) {
      throw new IllegalArgumentException(
          "the data has " + train.featureCount() + " features but the model takes " + spec.inputs());
    }
    String fingerprint = fingerprint(spec, config, train, validation);
    Optional<Checkpoints> checkpoints = config.checkpoints().map(Checkpoints::new);
    Optional<Checkpoints.State> resumeFrom = Optional.empty();
    if (config.resume() && checkpoints.isPresent()) {
      resumeFrom = checkpoints.get().latest();
      if (resumeFrom.isPresent() && !resumeFrom.get().fingerprint().equals(fingerprint)) {
        throw new IllegalArgumentException(
            "the checkpoint in " + config.checkpointDir() + " was written by a different run:\n  checkpoint: "
                + resumeFrom.get().fingerprint() + "\n  this run:   " + fingerprint);
      }
    }

    Schedules schedules = Schedules.of(spec, train);
    ModelSession model = new ModelSession(spec, config.optimizer(), config.seeds());
    try {
      History history = new History();
      int firstEpoch = 0;
      long step = 0;
      double best = Double.POSITIVE_INFINITY;
      int bad = 0;
      boolean stopped = false;
      if (resumeFrom.isPresent()) {
        Checkpoints.State s = resumeFrom.get();
        checkpoints.get().restoreLatest(model);
        history = new History(s.history());
        firstEpoch = s.epochsDone();
        step = s.step();
        best = s.bestValidationLoss();
        bad = s.epochsWithoutImprovement();
        stopped = s.stopped();
        schedules.replay(history.epochs(), config.epochs());
      }
      try {
        for (int epoch = firstEpoch; epoch < config.epochs() && !stopped; epoch++) {
          float[] rates = schedules.rates(epoch, config.epochs(), history.epochs());
          EpochRecord record = runEpoch(model, train, validation, config, epoch, step, rates, progress);
          step = record.step();
          history.add(record);
          schedules.observe(epoch, config.epochs(), history.epochs());
          progress.onEpochEnd(record, config.epochs());
          if (record.validationLoss() != null) {
            if (record.validationLoss() < best) {
              best = record.validationLoss();
              bad = 0;
            } else {
              bad++;
            }
          }
          stopped = config.patience() > 0 && bad >= config.patience();
          if (checkpoints.isPresent()) {
            checkpoints.get().save(model, new Checkpoints.State(
                fingerprint, epoch + 1, step, history.epochs(), best, bad, stopped));
          }
        }
      } finally {
        progress.onEnd();
      }
      return new TrainingRun(model, history, stopped, resumeFrom.isPresent());
    } catch (IOException | RuntimeException e) {
      model.close();
      throw e;
    }
  }

  private static EpochRecord runEpoch(
      ModelSession model, Dataset train, Dataset validation, TrainConfig config, int epoch,
      long step, float[] rates, ProgressListener progress) {
    long start = System.nanoTime();
    int n = train.size();
    int steps = (n + config.batchSize() - 1) / config.batchSize();
    int[] order = Dataset.permutation(n, Seeds.mix(config.seeds().shuffle(), epoch));
    progress.onEpochStart(epoch + 1, config.epochs(), steps);
    double lossSum = 0;
    double correct = 0;
    double[] dropped = null;
    int seen = 0;
    float epochProgress = (float) epoch / config.epochs();
    for (int i = 0; i < steps; i++) {
      int from = i * config.batchSize();
      int to = Math.min(n, from + config.batchSize());
      ModelSession.StepResult r = model.step(train, order, from, to, step++, epoch, epochProgress, rates);
      lossSum += r.lossSum();
      correct += r.correct();
      if (dropped == null) {
        dropped = new double[r.dropFractions().length];
      }
      for (int l = 0; l < dropped.length; l++) {
        dropped[l] += r.dropFractions()[l] / steps;
      }
      seen += to - from;
      double elapsed = (System.nanoTime() - start) / 1e9;
      progress.onStep(i + 1, lossSum / seen, seen / Math.max(elapsed, 1e-9));
    }
    Double valLoss = null;
    Double valAccuracy = null;
    if (validation.size() > 0) {
      Evaluation v = model.evaluate(validation);
      valLoss = v.loss();
      valAccuracy = v.accuracy();
    }
    return new EpochRecord(epoch + 1, step, lossSum / n, correct / n, valLoss, valAccuracy,
        (System.nanoTime() - start) / 1e9, Arrays.stream(dropped).boxed().toList(),
        IntStream.range(0, rates.length).mapToObj(i -> (double) rates[i]).toList());
  }

  /** What must match for a checkpoint to be resumed: everything that shapes the run but epochs and patience. */
  static String fingerprint(ModelSpec spec, TrainConfig config, Dataset train, Dataset validation) {
    return spec.widths() + " " + spec + " | " + config.optimizer().text() + " | batch " + config.batchSize()
        + " | " + config.seeds() + " | data " + train.size() + "+" + validation.size();
  }
}
