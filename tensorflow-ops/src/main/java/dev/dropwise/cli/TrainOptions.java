package dev.dropwise.cli;

import dev.dropwise.data.ClassificationData;
import dev.dropwise.data.Dataset;
import dev.dropwise.train.OptimizerSpec;
import dev.dropwise.train.RunSeeds;
import dev.dropwise.train.TrainConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * How train, compare and prune's fine-tuning train: optimiser, batches, seeds, the validation split
 * and early stopping ({@link EpochsOption} says how long).
 */
final class TrainOptions {
  @Option(
      names = "--batch-size",
      defaultValue = "" + TrainConfig.DEFAULT_BATCH_SIZE,
      description = "Mini-batch size (>= 1). Default: ${DEFAULT-VALUE}")
  int batchSize;

  @Option(
      names = "--optimizer",
      defaultValue = TrainConfig.DEFAULT_OPTIMIZER,
      description = "sgd, momentum or adam. Default: ${DEFAULT-VALUE}")
  String optimizer;

  @Option(
      names = "--lr",
      defaultValue = "" + TrainConfig.DEFAULT_LEARNING_RATE,
      description = "Learning rate (> 0). Default: ${DEFAULT-VALUE}")
  float learningRate;

  @Option(
      names = "--momentum",
      defaultValue = "" + TrainConfig.DEFAULT_MOMENTUM,
      description = "Momentum for --optimizer momentum, in [0, 1). Default: ${DEFAULT-VALUE}")
  float momentum;

  @Option(
      names = "--seed",
      defaultValue = "" + TrainConfig.DEFAULT_SEED,
      description =
          "Run seed: initial weights, shuffling, validation split and masks. Default: ${DEFAULT-VALUE}")
  long seed;

  @Option(names = "--init-seed", description = "Overrides the seed of the initial weights.")
  Long initSeed;

  @Option(
      names = "--shuffle-seed",
      description = "Overrides the seed of the example order and validation split.")
  Long shuffleSeed;

  @Option(names = "--mask-seed", description = "Overrides the seed of the dropout masks.")
  Long maskSeed;

  @Option(
      names = "--val-fraction",
      defaultValue = "" + TrainConfig.DEFAULT_VALIDATION_FRACTION,
      description =
          "Share of the training set held out for validation, in [0, 1). Default: ${DEFAULT-VALUE}")
  double validationFraction;

  @Option(
      names = "--patience",
      defaultValue = "0",
      description =
          "Early stopping: epochs without a lower validation loss before stopping; 0 = off. Default: ${DEFAULT-VALUE}")
  int patience;

  @Option(
      names = "--limit",
      description = "Train on the first N training examples only (quick runs).")
  Integer limit;

  /**
   * Checks every value with the option's name, before anything is built; {@code epochs} is given as
   * {@code option}.
   */
  TrainConfig config(String option, int epochs, Path checkpointDir, boolean resume) {
    if (epochs < 1) {
      throw new IllegalArgumentException(option + " " + epochs + " is not allowed: must be >= 1");
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException(
          "--batch-size " + batchSize + " is not allowed: must be >= 1");
    }
    if (!(validationFraction >= 0 && validationFraction < 1)) {
      throw new IllegalArgumentException(
          "--val-fraction " + validationFraction + " is not allowed: must be in [0, 1)");
    }
    if (patience < 0) {
      throw new IllegalArgumentException(
          "--patience " + patience + " is not allowed: must be >= 0 (0 = off)");
    }
    if (patience > 0 && validationFraction == 0) {
      throw new IllegalArgumentException(
          "--patience " + patience + " needs a validation set: set --val-fraction > 0");
    }
    if (limit != null && limit < 2) {
      throw new IllegalArgumentException("--limit " + limit + " is not allowed: must be >= 2");
    }
    if (resume && checkpointDir == null) {
      throw new IllegalArgumentException("--resume needs --checkpoint-dir");
    }
    if (resume && !Files.isDirectory(checkpointDir)) {
      throw new IllegalArgumentException(
          "--resume: --checkpoint-dir "
              + checkpointDir
              + " does not exist, so there is "
              + "nothing to resume; check the path, or leave out --resume to start a new run");
    }
    OptimizerSpec opt;
    try {
      opt = OptimizerSpec.of(optimizer, learningRate, momentum);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "--optimizer " + optimizer + " --lr " + learningRate + ": " + e.getMessage());
    }
    RunSeeds seeds = RunSeeds.from(seed);
    if (initSeed != null) {
      seeds = seeds.withInit(initSeed);
    }
    if (shuffleSeed != null) {
      seeds = seeds.withShuffle(shuffleSeed);
    }
    if (maskSeed != null) {
      seeds = seeds.withMask(maskSeed);
    }
    return new TrainConfig(epochs, batchSize, opt, seeds, patience, checkpointDir, resume);
  }

  /** The training set (limited if asked) split into train and validation by the shuffle seed. */
  Dataset.Split split(ClassificationData data, TrainConfig config) {
    Dataset train = limit == null ? data.train() : data.train().head(limit);
    return train.split(validationFraction, config.seeds().shuffle());
  }
}
