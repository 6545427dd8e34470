package dev.dropwise.dsl

import dev.dropwise.data.ClassificationData
import dev.dropwise.data.Dataset
import dev.dropwise.experiments.PruningSweep
import dev.dropwise.export.ServingModel
import dev.dropwise.prune.FineTuning
import dev.dropwise.prune.ModelPruning
import dev.dropwise.prune.UnitRanking
import dev.dropwise.train.TrainConfig
import dev.dropwise.util.AtomicFiles
import dev.dropwise.util.OutputDirectories
import java.nio.file.Files
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
  val setup = PruningSetup(data, examples, fineTuneEpochs, batchSize, block)
  return ServingModel.load(Path.of(dir)).use { model ->
    ModelPruning.prune(
      model,
      Path.of(dir),
      keep,
      UnitRanking(by),
      setup.rankedOn,
      setup.seed,
      steps,
      setup.fineTuning,
      Path.of(out),
    )
  }
}

/**
 * This model, as trained last, pruned as [prune] prunes an export (it is exported to a temporary
 * folder for that, deleted afterwards) and the smaller network exported to [out]:
 * `model.prune(data, keep = listOf(0.5), out = "pruned")`.
 */
fun Model.prune(
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
  val folder = Files.createTempDirectory("dropwise-prune-")
  try {
    val dir = folder.resolve("model").toString()
    exportSavedModel(dir)
    return prune(dir, data, keep, out, by, examples, steps, fineTuneEpochs, batchSize, block)
  } finally {
    AtomicFiles.deleteRecursively(folder)
  }
}

/**
 * The curve to choose from, as `dropwise prune --sweep` draws it: the model exported at [dir]
 * pruned to each of [shares] by each ranking of [by], without and (when [fineTuneEpochs] > 0) with
 * fine-tuning, each copy exported under [out] and measured on [data]'s test set — test accuracy,
 * size, and examples per second at batch [PruningSweep.BATCH]; the first point is the original.
 * `Charts.pruningSweep` draws them.
 */
fun pruningSweep(
  dir: String,
  data: ClassificationData,
  shares: List<Double>,
  out: String,
  by: List<String> = listOf("conductance", "magnitude-l1", "random"),
  examples: Int = 1000,
  fineTuneEpochs: Int = 0,
  batchSize: Int = TrainConfig.DEFAULT_BATCH_SIZE,
  block: TrainingBuilder.() -> Unit = {},
): List<PruningSweep.Point> {
  val setup = PruningSetup(data, examples, fineTuneEpochs, batchSize, block)
  val rankings = by.map { UnitRanking(it) }
  return ServingModel.load(Path.of(dir)).use { model ->
    PruningSweep.check(model, Path.of(dir), shares, rankings, fineTuneEpochs, Path.of(out))
    OutputDirectories.claim("out", Path.of(out))
    PruningSweep.run(
      model,
      Path.of(dir),
      shares,
      rankings,
      setup.rankedOn,
      setup.seed,
      setup.fineTuning,
      data.unscaledTest(),
      Path.of(out),
      System.out,
    )
  }
}

/**
 * What pruning ranks on and trains with, as `dropwise prune` sets it up: the first [examples] of
 * the validation split (the training examples when there is none) and, unless [fineTuneEpochs] is
 * 0, the fine-tuning.
 */
private class PruningSetup(
  data: ClassificationData,
  examples: Int,
  fineTuneEpochs: Int,
  batchSize: Int,
  block: TrainingBuilder.() -> Unit,
) {
  val seed: Long
  val rankedOn: Dataset
  val fineTuning: FineTuning?

  init {
    require(fineTuneEpochs >= 0) { "fineTuneEpochs $fineTuneEpochs is not allowed: must be >= 0" }
    require(examples >= 1) { "examples $examples is not allowed: must be >= 1" }
    val settings = TrainingBuilder().apply(block)
    // The split needs the seeds whether or not the network is fine-tuned.
    val config = settings.config(maxOf(1, fineTuneEpochs), batchSize)
    val split = settings.split(data, config)
    val pool = if (split.validation().size() > 0) split.validation() else split.train()
    seed = settings.seed
    rankedOn = pool.head(minOf(examples, pool.size()))
    fineTuning =
      if (fineTuneEpochs == 0) null
      else FineTuning(config, split, settings.progress ?: defaultProgress("fine-tuning"))
  }
}
