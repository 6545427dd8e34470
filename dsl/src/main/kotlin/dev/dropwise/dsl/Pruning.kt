package dev.dropwise.dsl

import dev.dropwise.data.ClassificationData
import dev.dropwise.export.ServingModel
import dev.dropwise.prune.FineTuning
import dev.dropwise.prune.ModelPruning
import dev.dropwise.prune.UnitRanking
import dev.dropwise.train.TrainConfig
import java.nio.file.Path

/**
 * The model exported at [dir] with only the [keep] share of each hidden layer's units (channels of
 * a convolution; one share, or one per hidden layer) that rank highest [by] an importance measure
 * (its mean |score| on the first [examples] validation examples of [data], the data the model was
 * trained on, split as training splits it), `magnitude-l1`, `magnitude-l2` or `random` (by the
 * training's seed), in [steps] steps, each followed by [fineTuneEpochs] epochs of training on with
 * the model's own dropout and the settings of [block]; exported to [out] as an ordinary dropwise
 * model, as `dropwise prune` does. Returns the network before and after and the units each layer
 * kept.
 */
fun prune(
  dir: String,
  data: ClassificationData,
  keep: List<Double>,
  out: String,
  by: String = "conductance",
  examples: Int = 1000,
  steps: Int = 1,
  fineTuneEpochs: Int = 0,
  batchSize: Int = TrainConfig.DEFAULT_BATCH_SIZE,
  block: TrainingBuilder.() -> Unit = {},
): ModelPruning.Result {
  require(fineTuneEpochs >= 0) { "fineTuneEpochs $fineTuneEpochs is not allowed: must be >= 0" }
  val settings = TrainingBuilder().apply(block)
  // The split needs the seeds whether or not the network is fine-tuned.
  val config = settings.config(maxOf(1, fineTuneEpochs), batchSize)
  val split = settings.split(data, config)
  val rankedOn = if (split.validation().size() > 0) split.validation() else split.train()
  val fineTuning =
    if (fineTuneEpochs == 0) null
    else FineTuning(config, split, settings.progress ?: defaultProgress("fine-tuning"))
  return ServingModel.load(Path.of(dir)).use { model ->
    ModelPruning.prune(
      model,
      Path.of(dir),
      keep,
      UnitRanking(by),
      rankedOn.head(minOf(examples, rankedOn.size())),
      settings.seed,
      steps,
      fineTuning,
      Path.of(out),
    )
  }
}
