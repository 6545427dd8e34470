package dev.dropwise.dsl

import dev.dropwise.analysis.UncertaintyEvaluation
import dev.dropwise.report.UncertaintyStudy
import org.jetbrains.letsPlot.coord.coordFixed
import org.jetbrains.letsPlot.coord.coordFlip
import org.jetbrains.letsPlot.facet.facetWrap
import org.jetbrains.letsPlot.geom.geomABLine
import org.jetbrains.letsPlot.geom.geomDensity
import org.jetbrains.letsPlot.geom.geomLine
import org.jetbrains.letsPlot.geom.geomPoint
import org.jetbrains.letsPlot.geom.geomPointRange
import org.jetbrains.letsPlot.ggsize
import org.jetbrains.letsPlot.intern.Plot
import org.jetbrains.letsPlot.label.labs
import org.jetbrains.letsPlot.letsPlot
import org.jetbrains.letsPlot.pos.positionDodge

/**
 * The reliability diagram of each way of predicting in [results] ([uncertainty]): in each bin of
 * confidence, the accuracy against the mean confidence, point size the examples in it; on the
 * diagonal a model is calibrated, below it overconfident.
 */
fun Charts.reliability(
  results: List<UncertaintyEvaluation.Result>,
  title: String = "reliability",
): Plot {
  val data = Frame("confidence", "accuracy", "examples", "predictor")
  for (r in results) {
    for (b in r.reliability()) {
      data.row(b.confidence(), b.accuracy(), b.count(), r.predictor())
    }
  }
  return letsPlot(data.toMap()) {
    x = "confidence"
    y = "accuracy"
    color = "predictor"
  } +
    geomABLine(slope = 1.0, intercept = 0.0, linetype = "dashed", color = "#999999") +
    geomLine() +
    geomPoint { size = "examples" } +
    models +
    coordFixed(xlim = 0.0 to 1.0, ylim = 0.0 to 1.0) +
    labs(title = title, x = "mean confidence in the bin", y = "accuracy in the bin") +
    ggsize(560, 480)
}

/**
 * The risk–coverage curve of each way of predicting in [results]: refusing the least certain first,
 * the error rate among the examples kept against the share kept; lower is better, its mean the
 * AURC.
 */
fun Charts.riskCoverage(
  results: List<UncertaintyEvaluation.Result>,
  title: String = "risk-coverage",
): Plot {
  val data = Frame("coverage", "risk", "predictor")
  for (r in results) {
    val curve = r.riskCoverage()
    for (k in curve.risk().indices) {
      data.row(curve.coverage()[k], curve.risk()[k], r.predictor())
    }
  }
  return letsPlot(data.toMap()) {
    x = "coverage"
    y = "risk"
    color = "predictor"
  } +
    geomLine() +
    models +
    labs(title = title, x = "share of examples answered", y = "error rate among them") +
    ggsize(620, 400)
}

/**
 * How an uncertainty score is spread over groups of examples ([scores] by group, e.g. test images
 * and noise): one density per group; the less they overlap, the better the score tells them apart.
 */
fun Charts.scoreDensities(scores: Map<String, FloatArray>, score: String): Plot {
  val data = Frame(score, "examples")
  for ((group, values) in scores) {
    values.forEach { data.row(it.toDouble(), group) }
  }
  return letsPlot(data.toMap()) {
    x = score
    fill = "examples"
    color = "examples"
  } +
    geomDensity(alpha = 0.3) +
    models +
    labs(title = "$score by examples", y = "density") +
    ggsize(620, 360)
}

/**
 * [measure] ("accuracy", "nll", "brier" or "ece") of each way of predicting against the shift's
 * severity, one panel per shift ([underShift]); severity 0 is the test set as it is.
 */
fun Charts.underShift(
  results: List<UncertaintyEvaluation.ShiftResult>,
  measure: String = "accuracy",
): Plot {
  require(results.all { it.measures().containsKey(measure) }) {
    "measure=$measure is not one of ${results.firstOrNull()?.measures()?.keys}"
  }
  val data = Frame("severity", measure, "predictor", "shift")
  for (r in results) {
    data.row(r.severity(), r.measures()[measure]!!, r.predictor(), r.shift().text())
  }
  return letsPlot(data.toMap()) {
    x = "severity"
    y = measure
    color = "predictor"
  } +
    geomLine() +
    geomPoint() +
    models +
    facetWrap(facets = "shift", ncol = 5) +
    labs(title = "$measure under shift", x = "severity (0: the test set as it is)") +
    ggsize(900, 320)
}

/**
 * One measure of the report's uncertainty study per method, mean ± 95% CI over the seeds, a colour
 * per training-set size, side by side.
 */
fun Charts.measureByMethod(points: List<UncertaintyStudy.MeasurePoint>, title: String): Plot {
  val data = Frame("method", "mean", "low", "high", "training set")
  for (p in points) {
    // A NaN half-width (one seed) draws the point alone.
    val half = if (p.halfWidth().isNaN()) 0.0 else p.halfWidth()
    data.row(p.method(), p.mean(), p.mean() - half, p.mean() + half, p.size())
  }
  return letsPlot(data.toMap()) {
    x = "method"
    y = "mean"
    color = "training set"
  } +
    geomPointRange(position = positionDodge(0.5)) {
      ymin = "low"
      ymax = "high"
    } +
    models +
    coordFlip() +
    labs(title = title, x = "", y = "mean ± 95% CI over seeds") +
    ggsize(760, 120 + 26 * points.map { it.method() }.distinct().size)
}
