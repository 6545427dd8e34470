package dev.dropwise.dsl

import dev.dropwise.model.LayerSpec
import dev.dropwise.network.LayerNames
import kotlin.math.abs
import org.jetbrains.letsPlot.coord.coordFixed
import org.jetbrains.letsPlot.facet.facetGrid
import org.jetbrains.letsPlot.geom.geomRaster
import org.jetbrains.letsPlot.ggsize
import org.jetbrains.letsPlot.intern.Plot
import org.jetbrains.letsPlot.label.labs
import org.jetbrains.letsPlot.letsPlot
import org.jetbrains.letsPlot.scale.scaleFillGradient2
import org.jetbrains.letsPlot.themes.themeVoid

/**
 * The diverging fill of signed maps (weights, relevance): blue below zero, white at it, red above;
 * [limits] fixes the range (null: the data's).
 */
internal fun divergingFill(limits: Pair<Double, Double>? = null) =
  scaleFillGradient2(
    low = "#2166AC",
    mid = "#F7F7F7",
    high = "#B2182B",
    midpoint = 0.0,
    limits = limits,
  )

/**
 * What the first Dense layer of each model responds to (seed 004: compare the weights learned with
 * and without dropout): the incoming weights of its first [units] units drawn as [height] × [width]
 * images (default: the training data's image shape; a colour image's channels are averaged), each
 * divided by its largest |weight| so that every unit's pattern shows whatever its scale. Red: the
 * unit is excited by ink there; blue: inhibited.
 */
fun Charts.inputWeights(
  runs: Map<String, Run>,
  units: Int = 8,
  height: Int? = null,
  width: Int? = null,
): Plot {
  val data = Frame("x", "y", "weight", "unit", "trained with")
  for ((name, run) in runs) {
    val spec = run.model.spec
    val first = spec.layers().first()
    val image = run.shape.size == 3
    val h = height ?: if (image) run.shape[0] else null
    val w = width ?: if (image) run.shape[1] else null
    require(h != null && w != null) {
      "inputWeights draws inputs as images: '$name' was trained on flat examples of ${run.shape}; give height and width"
    }
    val channels = if (image && height == null && width == null) run.shape[2] else 1
    require(first is LayerSpec.Dense && spec.inputs() == h * w * channels) {
      "inputWeights draws a first Dense layer on $h x $w x $channels inputs; '$name' starts with $first on ${spec.inputs()} inputs"
    }
    require(units in 1..first.units()) {
      "units=$units is not allowed for '$name': it must be in [1, ${first.units()}]"
    }
    val kernel =
      run.session
        .variableValues()
        .getValue(LayerNames.kernel(spec.layerNames().first())) // [inputs, units], row-major
    for (u in 0 until units) {
      val pixel = { i: Int ->
        (0 until channels).sumOf { c ->
          kernel[(i * channels + c) * first.units() + u].toDouble()
        } / channels
      }
      val largest = (0 until h * w).maxOf { abs(pixel(it)) }
      for (i in 0 until h * w) {
        val weight = if (largest == 0.0) 0.0 else pixel(i) / largest
        data.row(i % w, h - 1 - i / w, weight, "unit ${u + 1}", name) // image row 0 at the top
      }
    }
  }
  return letsPlot(data.toMap()) {
    x = "x"
    y = "y"
    fill = "weight"
  } +
    geomRaster() +
    facetGrid(x = "unit", y = "trained with", xOrder = 0, yOrder = 0) + // as given, not sorted
    divergingFill(limits = -1.0 to 1.0) +
    coordFixed() +
    themeVoid() +
    labs(title = "first-layer weights", fill = "weight /\nmax |weight|") +
    ggsize(maxOf(110 * units + 160, 480), 110 * runs.size + 80)
}
