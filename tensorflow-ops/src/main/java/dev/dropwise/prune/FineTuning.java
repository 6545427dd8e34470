package dev.dropwise.prune;

import dev.dropwise.data.Dataset;
import dev.dropwise.model.ModelSpec;
import dev.dropwise.model.StartingWeights;
import dev.dropwise.train.ProgressListener;
import dev.dropwise.train.TrainConfig;
import dev.dropwise.train.Trainer;
import dev.dropwise.train.TrainingRun;
import java.io.IOException;
import java.util.Map;

/**
 * Training a pruned network on, from its pruned weights, with the dropout it was trained with:
 * {@code config}'s epochs after each pruning step, on {@code data} (scaled as the network takes
 * it).
 */
public record FineTuning(TrainConfig config, Dataset.Split data, ProgressListener progress) {

  /** The weights of {@code spec} after fine-tuning from {@code weights}. */
  Map<String, float[]> train(ModelSpec spec, Map<String, float[]> weights, String origin)
      throws IOException {
    try (TrainingRun run =
        Trainer.train(
            spec,
            new StartingWeights(origin, weights),
            data.train(),
            data.validation(),
            config,
            progress)) {
      return run.model().variableValues();
    }
  }
}
