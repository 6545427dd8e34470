package dev.dropwise.train;

/** A finished training: the model, still live, and what happened on the way. */
public record TrainingRun(
    ModelSession model, History history, boolean stoppedEarly, boolean resumed)
    implements AutoCloseable {
  @Override
  public void close() {
    model.close();
  }
}
