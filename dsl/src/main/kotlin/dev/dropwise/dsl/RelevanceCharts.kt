package dev.dropwise.dsl

import dev.dropwise.analysis.FaithfulnessEvaluation
import dev.dropwise.analysis.RelevanceMaps
import dev.dropwise.analysis.UnitFlipping
import kotlin.math.abs
import org.jetbrains.letsPlot.Stat
import org.jetbrains.letsPlot.coord.coordFixed
import org.jetbrains.letsPlot.facet.facetGrid
import org.jetbrains.letsPlot.facet.facetWrap
import org.jetbrains.letsPlot.geom.geomBar
import org.jetbrains.letsPlot.geom.geomLine
import org.jetbrains.letsPlot.geom.geomPoint
import org.jetbrains.letsPlot.geom.geomRaster
import org.jetbrains.letsPlot.ggsize
import org.jetbrains.letsPlot.intern.Plot
import org.jetbrains.letsPlot.label.labs
import org.jetbrains.letsPlot.letsPlot
import org.jetbrains.letsPlot.scale.scaleAlpha
import org.jetbrains.letsPlot.scale.scaleColorDiscrete
import org.jetbrains.letsPlot.scale.scaleXContinuous
import org.jetbrains.letsPlot.themes.themeVoid

/**
 * Input relevance ([RelevanceMaps]). Images: the first [examples] inputs in grey above their
 * relevance, each map divided by its largest |relevance| and drawn on a diverging scale centred on
 * zero (red: for the class explained, blue: against it; a colour image's channels summed). A table:
 * one example's relevance per feature, and the mean |relevance| over every example given.
 */
fun Charts.inputRelevance(maps: RelevanceMaps, examples: Int = 8, title: String? = null): Plot {
  require(examples >= 1) { "examples=$examples is not allowed: must be >= 1" }
  val heading = title ?: "input relevance: ${maps.attribution()}"
  return if (maps.images()) relevanceImages(maps, minOf(examples, maps.examples()), heading)
  else relevanceBars(maps, heading)
}

private fun relevanceImages(maps: RelevanceMaps, shown: Int, title: String): Plot {
  val (h, w, c) = maps.shape()
  val size = maps.size()
  val inputs = Frame("x", "y", "value", "example", "panel")
  val relevance = Frame("x", "y", "relevance", "example", "panel")
  for (e in 0 until shown) {
    val pixel = { values: FloatArray, i: Int ->
      (0 until c).sumOf { values[e * size + i * c + it].toDouble() }
    }
    val largest = (0 until h * w).maxOf { abs(pixel(maps.relevance(), it)) }
    for (i in 0 until h * w) {
      val x = i % w
      val y = h - 1 - i / w // image row 0 at the top
      val caption = maps.captions()[e]
      inputs.row(x, y, pixel(maps.inputs(), i) / c, caption, "input")
      val r = pixel(maps.relevance(), i)
      relevance.row(x, y, if (largest == 0.0) 0.0 else r / largest, caption, "relevance")
    }
  }
  // One fill scale per plot: the input is drawn in black with its value as opacity, so that the
  // fill's diverging scale is the relevance's alone.
  return letsPlot() +
    geomRaster(data = inputs.toMap(), fill = "black") {
      x = "x"
      y = "y"
      alpha = "value"
    } +
    geomRaster(data = relevance.toMap()) {
      x = "x"
      y = "y"
      fill = "relevance"
    } +
    facetGrid(x = "example", y = "panel", xOrder = 0, yOrder = 0) +
    scaleAlpha(range = 0.0 to 1.0, guide = "none") +
    divergingFill(limits = -1.0 to 1.0) +
    coordFixed() +
    themeVoid() +
    labs(title = title, fill = "relevance /\nmax |relevance|") +
    ggsize(maxOf(150 * shown + 180, 480), 2 * 130 + 80)
}

private fun relevanceBars(maps: RelevanceMaps, title: String): Plot {
  val size = maps.size()
  val frame = Frame("feature", "relevance", "panel")
  val first = "${maps.captions()[0]}: relevance"
  val mean = "mean |relevance| over ${maps.examples()} examples"
  for (f in 0 until size) {
    frame.row("feature $f", maps.relevance()[f].toDouble(), first)
  }
  for (f in 0 until size) {
    val total = (0 until maps.examples()).sumOf { abs(maps.relevance()[it * size + f].toDouble()) }
    frame.row("feature $f", total / maps.examples(), mean)
  }
  return letsPlot(frame.toMap()) {
    x = "feature"
    y = "relevance"
    fill = "relevance"
  } +
    geomBar(stat = Stat.identity) +
    facetWrap(facets = "panel", ncol = 1, order = 0, scales = "free_y") +
    divergingFill() +
    labs(title = title, x = "") +
    ggsize(maxOf(28 * size + 160, 480), 420)
}

/**
 * Pixel flipping ([FaithfulnessEvaluation]): the explained class's mean probability against the
 * share of features replaced by the baseline, a colour per attribution (the random ranking among
 * them), most relevant first solid, least relevant first dashed. A faithful attribution's solid
 * line falls fastest and its dashed one slowest.
 */
fun Charts.faithfulness(
  results: List<FaithfulnessEvaluation.Result>,
  title: String = "pixel flipping",
): Plot {
  val frame = Frame("share replaced", "probability", "attribution", "order")
  for (r in results) {
    for (curve in listOf(r.morf(), r.lerf())) {
      for (k in curve.probability().indices) {
        frame.row(curve.share(k), curve.probability()[k], r.attribution(), curve.order())
      }
    }
  }
  return letsPlot(frame.toMap()) {
    x = "share replaced"
    y = "probability"
    color = "attribution"
    linetype = "order"
  } +
    geomLine(size = 1.0) +
    scaleColorDiscrete(limits = results.map { it.attribution() }) +
    labs(title = title, y = "probability of the explained class") +
    ggsize(760, 440)
}

/**
 * The model-randomisation check: each attribution's mean rank correlation with the trained model's
 * explanation against the number of layers re-initialised from the top; it must fall.
 */
fun Charts.randomisation(
  results: List<FaithfulnessEvaluation.Result>,
  title: String = "model randomisation",
): Plot {
  val frame = Frame("layers randomised", "Spearman rho", "attribution")
  for (r in results) {
    for (step in r.randomisation()) {
      frame.row(step.layers().size, step.spearman(), r.attribution())
    }
  }
  return letsPlot(frame.toMap()) {
    x = "layers randomised"
    y = "Spearman rho"
    color = "attribution"
  } +
    geomLine(size = 1.0) +
    geomPoint(size = 3.0) +
    // The same colour per attribution as in the flipping chart (whose random ranking has no
    // cascade).
    scaleColorDiscrete(limits = results.map { it.attribution() }) +
    scaleXContinuous(
      breaks = (1..(results.maxOfOrNull { it.randomisation().size } ?: 1)).toList()
    ) +
    labs(
      title = "$title: randomisation check",
      x = "layers randomised, from the top",
      y = "rank correlation with the trained model's",
    ) +
    ggsize(760, 420)
}

/**
 * Unit flipping ([UnitFlipping]): test accuracy against the share of every hidden layer's units
 * removed, a colour per measure (random removal among them), most important first solid, least
 * important first dashed.
 */
fun Charts.unitFlipping(results: List<UnitFlipping.Result>, title: String = "unit flipping"): Plot {
  val frame = Frame("share removed", "accuracy", "measure", "order")
  for (r in results) {
    for ((order, curve) in listOf("MoRF" to r.morf(), "LeRF" to r.lerf())) {
      for (k in curve.indices) {
        frame.row(r.fractions()[k], curve[k], r.measure(), order)
      }
    }
  }
  return letsPlot(frame.toMap()) {
    x = "share removed"
    y = "accuracy"
    color = "measure"
    linetype = "order"
  } +
    geomLine(size = 1.0) +
    labs(title = "$title: unit flipping", y = "test accuracy") +
    ggsize(760, 440)
}
