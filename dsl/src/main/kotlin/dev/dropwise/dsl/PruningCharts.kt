package dev.dropwise.dsl

import dev.dropwise.experiments.PruningSweep
import dev.dropwise.report.PrunabilityStudy
import org.jetbrains.letsPlot.facet.facetWrap
import org.jetbrains.letsPlot.geom.geomLine
import org.jetbrains.letsPlot.geom.geomPoint
import org.jetbrains.letsPlot.geom.geomPointRange
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

/**
 * The prunability study ([PrunabilityStudy]): each training's mean test accuracy (± 95% CI over the
 * seeds) against the share of hidden units kept, a panel per ranking, dashed after fine-tuning;
 * share 1 is the network unpruned.
 */
fun Charts.prunability(
  points: List<PrunabilityStudy.CurvePoint>,
  title: String = "prunability",
): Plot {
  val data = Frame("keep", "mean", "low", "high", "training", "ranking", "fine-tuned")
  for (p in points) {
    // A NaN half-width (one seed) draws the point alone.
    val half = if (p.halfWidth().isNaN()) 0.0 else p.halfWidth()
    data.row(
      p.keep(),
      p.mean(),
      p.mean() - half,
      p.mean() + half,
      p.method(),
      p.ranking(),
      if (p.fineTuned()) "yes" else "no",
    )
  }
  return letsPlot(data.toMap()) {
    x = "keep"
    y = "mean"
    color = "training"
    linetype = "fine-tuned"
  } +
    geomLine() +
    geomPointRange {
      ymin = "low"
      ymax = "high"
    } +
    models +
    facetWrap(facets = "ranking", ncol = 3) +
    labs(title = title, x = "share of hidden units kept", y = "test accuracy") +
    ggsize(900, 360)
}
