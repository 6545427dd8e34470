package dev.dropwise.train;

import dev.dropwise.model.TrainingGraph;
import org.tensorflow.Session;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * A training step's inputs besides its batch, as tensors closed together: the step that keys the
 * masks, the 0-based epoch, the progress (epoch / epochs) and the scheduled layers' rates.
 */
final class StepInputs implements AutoCloseable {
  private final TInt64 step;
  private final TInt64 epoch;
  private final TFloat32 progress;
  private final TFloat32 rates;

  StepInputs(long step, int epoch, float progress, float[] rates) {
    this.step = TInt64.scalarOf(step);
    this.epoch = TInt64.scalarOf(epoch);
    this.progress = TFloat32.scalarOf(progress);
    this.rates = TFloat32.vectorOf(rates);
  }

  /** {@code runner} fed {@code batch}, these and {@code training} (on: dropout on). */
  Session.Runner feed(Session.Runner runner, TrainingGraph model, Batch batch, TBool training) {
    return runner
        .feed(model.input(), batch.features)
        .feed(model.labels(), batch.labels)
        .feed(model.training(), training)
        .feed(model.step(), step)
        .feed(model.epoch(), epoch)
        .feed(model.progress(), progress)
        .feed(model.scheduledRates(), rates);
  }

  @Override
  public void close() {
    step.close();
    epoch.close();
    progress.close();
    rates.close();
  }
}
