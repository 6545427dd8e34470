package dev.dropwise.dsl

import dev.dropwise.data.ClassificationData
import dev.dropwise.export.ServingModel
import dev.dropwise.prune.ModelPruning
import dev.dropwise.prune.UnitRanking
import java.nio.file.Path

/**
 * The model exported at [dir] with only the [keep] share of each hidden layer's units (one share,
 * or one per hidden layer) that rank highest [by] an importance measure (its mean |score| on the
 * first [examples] training examples of [data], the data the model was trained on), `magnitude-l1`,
 * `magnitude-l2` or `random` ([seed]), exported to [out] as an ordinary dropwise model; as
 * `dropwise prune` does. Returns the network before and after and the units each layer kept.
 */
fun prune(
  dir: String,
  data: ClassificationData,
  keep: List<Double>,
  out: String,
  by: String = "conductance",
  examples: Int = 1000,
  seed: Long = 1,
): ModelPruning.Result =
  ServingModel.load(Path.of(dir)).use { model ->
    ModelPruning.prune(
      model,
      Path.of(dir),
      keep,
      UnitRanking(by),
      data.train().head(examples),
      seed,
      Path.of(out),
    )
  }
