package dev.dropwise.dsl

import dev.dropwise.data.ClassificationData
import dev.dropwise.experiments.RateSweep
import dev.dropwise.train.OptimizerSpec
import dev.dropwise.train.TrainConfig

/**
 * Test accuracy and loss against the dropout rate (seed 004, "visualising dropout's effect"):
 * standard dropout at every rate, and sector-wise dropout with sectors of [n] units at every rate
 * whose drop count round(rate·n) lies in [1, n − 1]; mean ± std over [seeds]. Draw it with
 * `Charts.rateSweep(points)`.
 */
fun rateSweep(
  data: ClassificationData,
  rates: List<Double> = listOf(0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7),
  layers: List<Int> = listOf(1024),
  n: Int = 8,
  seeds: IntRange = 1..1,
  epochs: Int = TrainConfig.DEFAULT_EPOCHS,
  limit: Int? = null,
  optimizer: OptimizerSpec = TrainConfig.defaults().optimizer(),
): List<RateSweep.Point> {
  require(!seeds.isEmpty()) { "seeds $seeds is empty; give at least one, e.g. 1..3" }
  val config = TrainConfig.defaults().withEpochs(epochs).withOptimizer(optimizer)
  return RateSweep.run(
    data,
    layers,
    rates.toDoubleArray(),
    n,
    seeds.map { it.toLong() },
    config,
    TrainConfig.DEFAULT_VALIDATION_FRACTION,
    limit,
    { method, seed -> defaultProgress("$method seed $seed") },
    null,
    System.out,
  )
}
