package dev.dropwise.train;

import dev.dropwise.data.Dataset;
import dev.dropwise.dropout.FrozenDropout;
import java.util.Map;

/**
 * A finished training: the model, still live, what happened on the way, and the inputs of its last
 * step ({@code last}), with which its dropout can be measured as it stood at the end.
 */
public record TrainingRun(
    ModelSession model, History history, boolean stoppedEarly, boolean resumed, FinalStep last)
    implements AutoCloseable {

  /**
   * What the training steps of the last epoch were fed: the step count after them, the 0-based
   * epoch, its progress (epoch / epochs), the scheduled layers' rates, and the batch size.
   */
  public record FinalStep(long step, int epoch, float progress, float[] rates, int batchSize) {
    /** Copies the rates. */
    public FinalStep {
      rates = rates.clone();
    }
  }

  /** The training examples {@link #frozenDropout} measures at most. */
  public static final int FROZEN_EXAMPLES = 2048;

  /**
   * The per-unit drop rates and kept scales of every dropout layer whose masks need importance
   * scores or training state, as they stood at the end of training, measured on the first {@value
   * #FROZEN_EXAMPLES} examples of {@code data} (training examples) in batches of the training size:
   * what an export's {@code frozen} Monte Carlo signatures sample. Empty when the model has no such
   * layer, or one whose masks cannot be counted per unit.
   */
  public Map<Integer, FrozenDropout> frozenDropout(Dataset data) {
    return model.frozenDropout(data.head(FROZEN_EXAMPLES), last);
  }

  @Override
  public void close() {
    model.close();
  }
}
