package dev.dropwise.cli;

import dev.dropwise.train.TrainConfig;
import picocli.CommandLine.Option;

/** How long train and compare train, beside the {@link TrainOptions} of how. */
final class EpochsOption {
  @Option(
      names = "--epochs",
      defaultValue = "" + TrainConfig.DEFAULT_EPOCHS,
      description = "Epochs (>= 1). Default: ${DEFAULT-VALUE}")
  int epochs;
}
