package dev.dropwise.train;

import java.nio.file.Path;
import java.util.Optional;

/**
 * How to train: checked when built, so a bad value is refused before any graph exists.
 *
 * @param patience epochs without a lower validation loss before stopping; 0 turns early stopping
 *     off
 * @param checkpointDir where a checkpoint is written after every epoch; null for none
 * @param resume continue from the last checkpoint in {@code checkpointDir} if there is one
 * @param threads the threads TensorFlow computes a step with; 0 for its default (every core). A
 *     cluster task sets it to its share of cores; the same seed and thread count give the same run
 */
public record TrainConfig(
    int epochs,
    int batchSize,
    OptimizerSpec optimizer,
    RunSeeds seeds,
    int patience,
    Path checkpointDir,
    boolean resume,
    int threads) {

  public TrainConfig {
    if (epochs < 1) {
      throw new IllegalArgumentException("epochs=" + epochs + " is not allowed: must be >= 1");
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException(
          "batch size=" + batchSize + " is not allowed: must be >= 1");
    }
    if (patience < 0) {
      throw new IllegalArgumentException(
          "patience=" + patience + " is not allowed: must be >= 0 (0 = off)");
    }
    if (resume && checkpointDir == null) {
      throw new IllegalArgumentException("resume needs a checkpoint directory");
    }
    if (threads < 0) {
      throw new IllegalArgumentException(
          "threads=" + threads + " is not allowed: must be >= 0 (0 = TensorFlow's default)");
    }
  }

  /** A configuration on TensorFlow's default threads. */
  public TrainConfig(
      int epochs,
      int batchSize,
      OptimizerSpec optimizer,
      RunSeeds seeds,
      int patience,
      Path checkpointDir,
      boolean resume) {
    this(epochs, batchSize, optimizer, seeds, patience, checkpointDir, resume, 0);
  }

  /** 5 epochs, batch 64, SGD with momentum 0.9 at lr 0.01, seed 1, no early stopping. */
  public static TrainConfig defaults() {
    return new TrainConfig(
        5, 64, new OptimizerSpec.Momentum(0.01f, 0.9f), RunSeeds.from(1), 0, null, false);
  }

  public TrainConfig withEpochs(int value) {
    return new TrainConfig(
        value, batchSize, optimizer, seeds, patience, checkpointDir, resume, threads);
  }

  public TrainConfig withBatchSize(int value) {
    return new TrainConfig(
        epochs, value, optimizer, seeds, patience, checkpointDir, resume, threads);
  }

  public TrainConfig withOptimizer(OptimizerSpec value) {
    return new TrainConfig(
        epochs, batchSize, value, seeds, patience, checkpointDir, resume, threads);
  }

  public TrainConfig withSeeds(RunSeeds value) {
    return new TrainConfig(
        epochs, batchSize, optimizer, value, patience, checkpointDir, resume, threads);
  }

  public TrainConfig withPatience(int value) {
    return new TrainConfig(
        epochs, batchSize, optimizer, seeds, value, checkpointDir, resume, threads);
  }

  public TrainConfig withCheckpoints(Path dir, boolean resumeFromThem) {
    return new TrainConfig(
        epochs, batchSize, optimizer, seeds, patience, dir, resumeFromThem, threads);
  }

  public TrainConfig withThreads(int value) {
    return new TrainConfig(
        epochs, batchSize, optimizer, seeds, patience, checkpointDir, resume, value);
  }

  public Optional<Path> checkpoints() {
    return Optional.ofNullable(checkpointDir);
  }
}
