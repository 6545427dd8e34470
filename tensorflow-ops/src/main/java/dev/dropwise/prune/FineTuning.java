package dev.dropwise.prune;

import dev.dropwise.data.Dataset;
import dev.dropwise.model.StartingWeights;
import dev.dropwise.train.ProgressListener;
import dev.dropwise.train.TrainConfig;
import dev.dropwise.train.Trainer;
import dev.dropwise.train.TrainingRun;
import java.io.IOException;

/**
 * Training a pruned network on, from its pruned weights, with the dropout it was trained with:
 * {@code config}'s epochs after each pruning step, on {@code data} (scaled as the network takes
 * it).
 */
public record FineTuning(TrainConfig config, Dataset.Split data, ProgressListener progress) {

  /**
   * {@code pruned} after fine-tuning from its weights: the trained weights, and what its Monte
   * Carlo passes sample as this training left the dropout (frozen rates measured anew).
   */
  UnitSurgery.Pruned train(UnitSurgery.Pruned pruned, String origin) throws IOException {
    try (TrainingRun run =
        Trainer.train(
            pruned.spec(),
            new StartingWeights(origin, pruned.weights()),
            data.train(),
            data.validation(),
            config,
            progress)) {
      return new UnitSurgery.Pruned(
          pruned.spec(), run.model().variableValues(), run.monteCarloLayers().forExport());
    }
  }
}
