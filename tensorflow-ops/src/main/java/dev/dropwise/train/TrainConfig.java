package dev.dropwise.train;

import java.nio.file.Path;
import java.util.Optional;

/**
 * How to train: checked when built, so a bad value is refused before any graph exists.
 *
 * @param patience epochs without a lower validation loss before stopping; 0 turns early stopping off
 * @param checkpointDir where a checkpoint is written after every epoch; null for none
 * @param resume continue from the last checkpoint in {@code checkpointDir} if there is one
 */
public record TrainConfig(
    int epochs, int batchSize, OptimizerSpec optimizer, RunSeeds seeds, int patience,
    Path checkpointDir, boolean resume) {

  public TrainConfig {
    if (epochs < 1) {
      throw new IllegalArgumentException("epochs=" + epochs + " is not allowed: must be >= 1");
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size=" + batchSize + " is not allowed: must be >= 1");
    }
    if (patience < 0) {
      throw new IllegalArgumentException("patience=" + patience + " is not allowed: must be >= 0 (0 = off)");
    }
    if (resume && checkpointDir == null) {
      throw new IllegalArgumentException("resume needs a checkpoint directory");
    }
  }

  /** 5 epochs, batch 64, SGD with momentum 0.9 at lr 0.01, seed 1, no early stopping. */
  public static TrainConfig defaults() {
    return new TrainConfig(5, 64, new OptimizerSpec.Momentum(0.01f, 0.9f), RunSeeds.from(1), 0, null, false);
  }

  public TrainConfig withEpochs(int value) {
    return new TrainConfig(value, batchSize, optimizer, seeds, patience, checkpointDir, resume);
  }

  public TrainConfig withBatchSize(int value) {
    return new TrainConfig(epochs, value, optimizer, seeds, patience, checkpointDir, resume);
  }

  public TrainConfig withOptimizer(OptimizerSpec value) {
    return new TrainConfig(epochs, batchSize, value, seeds, patience, checkpointDir, resume);
  }

  public TrainConfig withSeeds(RunSeeds value) {
    return new TrainConfig(epochs, batchSize, optimizer, value, patience, checkpointDir, resume);
  }

  public TrainConfig withPatience(int value) {
    return new TrainConfig(epochs, batchSize, optimizer, seeds, value, checkpointDir, resume);
  }

  public TrainConfig withCheckpoints(Path dir, boolean resumeFromThem) {
    return new TrainConfig(epochs, batchSize, optimizer, seeds, patience, dir, resumeFromThem);
  }

  public Optional<Path> checkpoints() {
    return Optional.ofNullable(checkpointDir);
  }
}
