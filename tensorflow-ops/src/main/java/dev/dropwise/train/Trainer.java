package dev.dropwise.train;

import dev.dropwise.data.Dataset;
import dev.dropwise.model.ModelSpec;
import dev.dropwise.model.StartingWeights;
import dev.dropwise.util.Bytes;
import dev.dropwise.util.Seeds;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * Mini-batch training: a seeded shuffle per epoch, one {@link ModelSession#step} per batch with the
 * global step keying the masks, validation after each epoch, early stopping on validation loss, a
 * checkpoint after each epoch and resume from the last one.
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
      ModelSpec spec,
      Dataset train,
      Dataset validation,
      TrainConfig config,
      ProgressListener progress)
      throws IOException {
    return train(spec, null, train, validation, config, progress);
  }

  /**
   * Trains a model whose weights start from {@code start} (an imported or exported model's; null:
   * from the initialisers), which a resumed run must start from as well.
   */
  public static TrainingRun train(
      ModelSpec spec,
      StartingWeights start,
      Dataset train,
      Dataset validation,
      TrainConfig config,
      ProgressListener progress)
      throws IOException {
    if (config.patience() > 0 && validation.size() == 0) {
      throw new IllegalArgumentException(
          "early stopping (patience=" + config.patience() + ") needs a validation set");
    }
    if (train.featureCount() != spec.inputs()) {
      throw new IllegalArgumentException(
          "the data has "
              + train.featureCount()
              + " features but the model takes "
              + spec.inputs());
    }
    checkFitsInMemory(spec, config, Math.max(train.size(), validation.size()));
    Checkpoints checkpoints = null;
    Optional<Checkpoints.State> resumeFrom = Optional.empty();
    String fingerprint =
        config.checkpointDir() == null ? null : fingerprint(spec, start, config, train, validation);
    if (fingerprint != null) {
      if (config.resume()) {
        Checkpoints.requireResumable(config.checkpointDir(), fingerprint);
      }
      checkpoints = Checkpoints.open(config.checkpointDir(), fingerprint);
      try {
        if (config.resume()) {
          resumeFrom = checkpoints.latest();
          if (resumeFrom.isPresent() && !resumeFrom.get().fingerprint().equals(fingerprint)) {
            throw new IllegalArgumentException(
                "the checkpoint in "
                    + checkpoints.directory()
                    + " was written by a different run:\n  checkpoint: "
                    + resumeFrom.get().fingerprint()
                    + "\n  this run:   "
                    + fingerprint);
          }
        }
      } catch (IOException | RuntimeException e) {
        checkpoints.close(); // a damaged checkpoint must not keep the run's lock
        throw e;
      }
    }
    try (Checkpoints open = checkpoints) {
      return train(spec, start, train, validation, config, progress, open, fingerprint, resumeFrom);
    }
  }

  private static TrainingRun train(
      ModelSpec spec,
      StartingWeights start,
      Dataset train,
      Dataset validation,
      TrainConfig config,
      ProgressListener progress,
      Checkpoints checkpoints,
      String fingerprint,
      Optional<Checkpoints.State> resumeFrom)
      throws IOException {
    Schedules schedules = Schedules.of(spec, train);
    ModelSession model =
        new ModelSession(spec, start, config.optimizer(), config.seeds(), config.threads());
    try {
      History history = new History();
      int firstEpoch = 0;
      long step = 0;
      double best = Double.POSITIVE_INFINITY;
      int bad = 0;
      boolean stopped = false;
      if (resumeFrom.isPresent()) {
        Checkpoints.State s = resumeFrom.get();
        checkpoints.restoreLatest(model);
        history = new History(s.history());
        firstEpoch = s.epochsDone();
        step = s.step();
        best = s.bestValidationLoss();
        bad = s.epochsWithoutImprovement();
        stopped = s.stopped();
        schedules.replay(history.epochs(), config.epochs());
      }
      LossWatch watch = new LossWatch(config.optimizer());
      float[] lastRates = null;
      int lastEpoch = Math.max(0, history.epochs().size() - 1);
      try {
        for (int epoch = firstEpoch; epoch < config.epochs() && !stopped; epoch++) {
          float[] rates = schedules.rates(epoch, config.epochs(), history.epochs());
          lastRates = rates;
          lastEpoch = epoch;
          EpochRecord record =
              runEpoch(model, train, validation, config, epoch, step, rates, progress, watch);
          step = record.step();
          if (!model.weightsFinite()) {
            throw DivergenceException.weights(epoch + 1, step, config.optimizer());
          }
          if (record.validationLoss() != null && !Double.isFinite(record.validationLoss())) {
            throw DivergenceException.validation(
                epoch + 1, step, record.validationLoss(), config.optimizer());
          }
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
          if (checkpoints != null) {
            checkpoints.save(
                model,
                new Checkpoints.State(
                    fingerprint, epoch + 1, step, history.epochs(), best, bad, stopped));
          }
        }
      } finally {
        progress.onEnd();
      }
      if (lastRates == null) { // every epoch was done before a resume: the last one's rates
        List<Double> recorded =
            history.epochs().isEmpty()
                ? List.of()
                : history.epochs().get(lastEpoch).scheduledRates();
        float[] now = schedules.rates(lastEpoch, config.epochs(), history.epochs());
        if (recorded.size() == now.length) {
          lastRates = new float[now.length];
          for (int k = 0; k < lastRates.length; k++) {
            lastRates[k] = recorded.get(k).floatValue();
          }
        } else { // a history from before the rates were recorded: the schedules' rates now
          lastRates = now;
        }
      }
      TrainingRun.FinalStep last =
          new TrainingRun.FinalStep(
              step,
              lastEpoch,
              (float) Math.min(lastEpoch, config.epochs() - 1) / config.epochs(),
              lastRates,
              batchSize(config, train.size()),
              train);
      return new TrainingRun(model, history, stopped, resumeFrom.isPresent(), last);
    } catch (IOException | RuntimeException e) {
      model.close();
      throw e;
    }
  }

  private static EpochRecord runEpoch(
      ModelSession model,
      Dataset train,
      Dataset validation,
      TrainConfig config,
      int epoch,
      long step,
      float[] rates,
      ProgressListener progress,
      LossWatch watch) {
    long start = System.nanoTime();
    int n = train.size();
    int batch = batchSize(config, n);
    int steps = (n + batch - 1) / batch;
    int[] order = Dataset.permutation(n, Seeds.mix(config.seeds().shuffle(), epoch));
    progress.onEpochStart(epoch + 1, config.epochs(), steps);
    double lossSum = 0;
    double correct = 0;
    double[] dropped = null;
    int seen = 0;
    float epochProgress = (float) epoch / config.epochs();
    for (int i = 0; i < steps; i++) {
      int from = i * batch;
      int to = Math.min(n, from + batch);
      ModelSession.StepResult r =
          model.step(train, order, from, to, step, epoch, epochProgress, rates);
      watch.check(epoch + 1, step++, r.lossSum() / (to - from));
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
    return new EpochRecord(
        epoch + 1,
        step,
        lossSum / n,
        correct / n,
        valLoss,
        valAccuracy,
        (System.nanoTime() - start) / 1e9,
        Arrays.stream(dropped).boxed().toList(),
        IntStream.range(0, rates.length).mapToObj(i -> (double) rates[i]).toList());
  }

  /**
   * Refuses a model whose training could not fit in this machine's memory, before TensorFlow is
   * asked for it: weights, their gradients and the optimiser's slots, plus a batch's activations
   * (forward and backward), 4 bytes each. A lower bound: TensorFlow needs some more.
   */
  static void checkFitsInMemory(ModelSpec spec, TrainConfig config, int examples) {
    long parameters = spec.parameters();
    int batch = batchSize(config, examples);
    double bytes =
        4.0
            * (parameters * (2.0 + config.optimizer().slotsPerWeight())
                + 2.0 * batch * spec.activationsPerExample());
    long physical =
        ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
            .getTotalMemorySize();
    if (bytes > physical) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "the model %s is too large to train here: its "
                  + "%,d weights, their gradients and the optimizer's state, with the activations of a batch of %d, need at "
                  + "least %s, more than this machine's %s of memory; use narrower layers or a smaller batch",
              spec.widths(),
              parameters,
              batch,
              Bytes.text(bytes),
              Bytes.text((double) physical)));
    }
  }

  /** Stops a run at the first step whose loss is not finite, remembering the last one that was. */
  private static final class LossWatch {
    private final OptimizerSpec optimizer;
    private double lastLoss = Double.NaN;
    private long lastStep = -1;

    LossWatch(OptimizerSpec optimizer) {
      this.optimizer = optimizer;
    }

    void check(int epoch, long step, double loss) {
      if (!Double.isFinite(loss)) {
        throw DivergenceException.loss(epoch, step, loss, lastLoss, lastStep, optimizer);
      }
      lastLoss = loss;
      lastStep = step;
    }
  }

  /**
   * What must match for a checkpoint to be resumed: everything that shapes the run but epochs and
   * patience, the data by its content.
   */
  static String fingerprint(
      ModelSpec spec,
      StartingWeights start,
      TrainConfig config,
      Dataset train,
      Dataset validation) {
    return spec.widths()
        + " "
        + spec
        + " | "
        + config.optimizer().text()
        + " | batch "
        + config.batchSize()
        + " | "
        + config.seeds()
        + " | data "
        + train.size()
        + "+"
        + validation.size()
        + " sha256 "
        + train.digest().substring(0, 16)
        + "+"
        + validation.digest().substring(0, 16)
        + (start == null ? "" : " | from weights sha256 " + start.digest().substring(0, 16));
  }

  /** The batch size on {@code examples} examples: a batch never holds more than the data. */
  static int batchSize(TrainConfig config, int examples) {
    return Math.max(1, Math.min(config.batchSize(), examples));
  }
}
