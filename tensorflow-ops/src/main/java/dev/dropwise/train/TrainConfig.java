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

  /**
   * Refuses fewer than 1 epoch or example per batch, a negative patience or thread count, and
   * resuming without a checkpoint directory.
   */
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

  // The defaults, said once: defaults() and the command line's options read them, the DSL reads
  // defaults(). Constants, so picocli's annotations can show them.
  /** Epochs unless told otherwise. */
  public static final int DEFAULT_EPOCHS = 5;

  /** Mini-batch size unless told otherwise. */
  public static final int DEFAULT_BATCH_SIZE = 64;

  /** The optimiser unless told otherwise: SGD with heavy-ball momentum, as the seeds train. */
  public static final String DEFAULT_OPTIMIZER = "momentum";

  /** The learning rate unless told otherwise. */
  public static final float DEFAULT_LEARNING_RATE = 0.01f;

  /** The momentum of {@link #DEFAULT_OPTIMIZER} unless told otherwise. */
  public static final float DEFAULT_MOMENTUM = 0.9f;

  /** The run seed unless told otherwise. */
  public static final long DEFAULT_SEED = 1;

  /** Share of the training set held out for validation unless told otherwise. */
  public static final double DEFAULT_VALIDATION_FRACTION = 0.1;

  /** 5 epochs, batch 64, SGD with momentum 0.9 at lr 0.01, seed 1, no early stopping. */
  public static TrainConfig defaults() {
    return new TrainConfig(
        DEFAULT_EPOCHS,
        DEFAULT_BATCH_SIZE,
        OptimizerSpec.of(DEFAULT_OPTIMIZER, DEFAULT_LEARNING_RATE, DEFAULT_MOMENTUM),
        RunSeeds.from(DEFAULT_SEED),
        0,
        null,
        false);
  }

  /** The same configuration with {@code value} epochs. */
  public TrainConfig withEpochs(int value) {
    return new TrainConfig(
        value, batchSize, optimizer, seeds, patience, checkpointDir, resume, threads);
  }

  /** The same configuration with mini-batches of {@code value} examples. */
  public TrainConfig withBatchSize(int value) {
    return new TrainConfig(
        epochs, value, optimizer, seeds, patience, checkpointDir, resume, threads);
  }

  /** The same configuration trained by {@code value}. */
  public TrainConfig withOptimizer(OptimizerSpec value) {
    return new TrainConfig(
        epochs, batchSize, value, seeds, patience, checkpointDir, resume, threads);
  }

  /** The same configuration with the seeds {@code value}. */
  public TrainConfig withSeeds(RunSeeds value) {
    return new TrainConfig(
        epochs, batchSize, optimizer, value, patience, checkpointDir, resume, threads);
  }

  /**
   * The same configuration stopping after {@code value} epochs without a lower validation loss (0:
   * never).
   */
  public TrainConfig withPatience(int value) {
    return new TrainConfig(
        epochs, batchSize, optimizer, seeds, value, checkpointDir, resume, threads);
  }

  /**
   * The same configuration checkpointing into {@code dir} (null: none), resuming from its last
   * checkpoint if {@code resumeFromThem}.
   */
  public TrainConfig withCheckpoints(Path dir, boolean resumeFromThem) {
    return new TrainConfig(
        epochs, batchSize, optimizer, seeds, patience, dir, resumeFromThem, threads);
  }

  /** The same configuration on {@code value} threads (0: TensorFlow's default). */
  public TrainConfig withThreads(int value) {
    return new TrainConfig(
        epochs, batchSize, optimizer, seeds, patience, checkpointDir, resume, value);
  }

  /** The checkpoint directory, if there is one. */
  public Optional<Path> checkpoints() {
    return Optional.ofNullable(checkpointDir);
  }
}
