package dev.dropwise.dsl

import dev.dropwise.experiments.PruningSweep
import org.jetbrains.letsPlot.facet.facetWrap
import org.jetbrains.letsPlot.geom.geomLine
import org.jetbrains.letsPlot.geom.geomPoint
import org.jetbrains.letsPlot.ggsize
import org.jetbrains.letsPlot.intern.Plot
import org.jetbrains.letsPlot.label.labs
import org.jetbrains.letsPlot.letsPlot

/**
 * The pruning sweep ([PruningSweep]): test accuracy and examples served per second against the
 * share of units kept, a colour per ranking, a line type for fine-tuning; every line starts at the
 * original model (share 1).
 */
fun Charts.pruningSweep(points: List<PruningSweep.Point>, title: String = "pruning"): Plot {
  val data = Frame("keep", "value", "metric", "ranking", "fine-tuned")
  val original = points.first()
  val lines = points.drop(1).map { it.ranking() to it.fineTuneEpochs() }.distinct()
  fun add(p: PruningSweep.Point, ranking: String, epochs: Int) {
    val tuned = PruningSweep.epochs(epochs)
    data.row(p.keep(), p.accuracy(), "test accuracy", ranking, tuned)
    data.row(
      p.keep(),
      p.examplesPerSecond(),
      "examples / s at batch ${PruningSweep.BATCH}",
      ranking,
      tuned,
    )
  }
  for ((ranking, epochs) in lines) {
    add(original, ranking, epochs)
  }
  for (p in points.drop(1)) {
    add(p, p.ranking(), p.fineTuneEpochs())
  }
  return letsPlot(data.toMap()) {
    x = "keep"
    y = "value"
    color = "ranking"
    linetype = "fine-tuned"
  } +
    geomLine() +
    geomPoint() +
    models +
    facetWrap(facets = "metric", ncol = 2, scales = "free_y") +
    labs(title = title, x = "share of hidden units kept", y = "") +
    ggsize(760, 320)
}
