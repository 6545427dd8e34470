package dev.dropwise.train;

import dev.dropwise.data.Dataset;

/**
 * A finished training: the model, still live, what happened on the way, and the inputs of its last
 * step ({@code last}), with which its dropout can be measured as it stood at the end.
 */
public record TrainingRun(
    ModelSession model, History history, boolean stoppedEarly, boolean resumed, FinalStep last)
    implements AutoCloseable {

  /**
   * What the training steps of the last epoch were fed: the step count after them, the 0-based
   * epoch, its progress (epoch / epochs), the scheduled layers' rates, the batch size, and the
   * training examples.
   */
  public record FinalStep(
      long step, int epoch, float progress, float[] rates, int batchSize, Dataset train) {
    /** Copies the rates. */
    public FinalStep {
      rates = rates.clone();
    }
  }

  /** The training examples {@link #monteCarloLayers} measures at most. */
  public static final int FROZEN_EXAMPLES = 2048;

  /**
   * What an export's Monte Carlo passes sample in place of the dropout layers that cannot run as
   * they trained ({@link MonteCarloLayers}): a scheduled layer at the rate its schedule set last,
   * an importance-guided one at each unit's drop rate and kept scale as training left them,
   * measured on the first {@value #FROZEN_EXAMPLES} training examples in batches of the training
   * size.
   */
  public MonteCarloLayers monteCarloLayers() {
    return MonteCarloLayers.of(model, last);
  }

  @Override
  public void close() {
    model.close();
  }
}
