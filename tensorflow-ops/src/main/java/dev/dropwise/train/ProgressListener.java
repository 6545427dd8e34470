package dev.dropwise.train;

/** Hears a training run as it goes; every method is optional. */
public interface ProgressListener {
  /** A listener that hears nothing. */
  ProgressListener NONE = new ProgressListener() {};

  /**
   * Called before each epoch: {@code epoch} is 1-based, of {@code epochs}, and runs {@code steps}
   * steps.
   */
  default void onEpochStart(int epoch, int epochs, int steps) {}

  /**
   * Called after every training step.
   *
   * @param stepInEpoch 1-based index of the step just finished
   * @param loss mean loss of the epoch so far
   */
  default void onStep(int stepInEpoch, double loss, double examplesPerSecond) {}

  /** Called after each epoch with its record; {@code epochs}: how many the run asked for. */
  default void onEpochEnd(EpochRecord record, int epochs) {}

  /** Called once when the run ends, normally or not. */
  default void onEnd() {}
}
