package dev.dropwise.dsl

import dev.dropwise.analysis.Explainer
import dev.dropwise.data.Dataset
import dev.dropwise.importance.ImportanceSpec
import kotlin.math.abs
import org.jetbrains.letsPlot.geom.geomRaster
import org.jetbrains.letsPlot.ggsize
import org.jetbrains.letsPlot.intern.Plot
import org.jetbrains.letsPlot.label.labs
import org.jetbrains.letsPlot.letsPlot
import org.jetbrains.letsPlot.scale.scaleFillGradient

/**
 * A recurrent layer's importance over time: each unit's mean |score| at each step over the examples
 * explained, `meanAbs[t * units + u]`. The scores' sum over the steps is what the importance-guided
 * methods rank the units by.
 */
class StepImportance
internal constructor(
  /** The layer's index among the hidden layers, from 0. */
  val layer: Int,
  val measure: String,
  val steps: Int,
  val units: Int,
  val meanAbs: DoubleArray,
) {
  /** Each step's share of the layer's mean |score|: where in the sequence the importance sits. */
  fun perStep(): List<Double> {
    val total = meanAbs.sum()
    return (0 until steps).map { t ->
      if (total == 0.0) 0.0 else (0 until units).sumOf { meanAbs[t * units + it] } / total
    }
  }
}

/**
 * Importance of every recurrent layer's units at every step on the first [limit] examples of [data]
 * ([measure]: gradient, conductance, LRP through the cell, ...); an empty list for a model without
 * recurrent layers.
 */
fun Run.importanceOverTime(
  measure: ImportanceSpec,
  data: Dataset,
  limit: Int = 200,
): List<StepImportance> {
  val examples = data.head(limit)
  val scores = Explainer.scores(model.spec, session.variableValues()::get, measure, examples)
  return scores.steps().withIndex().mapNotNull { (layer, steps) ->
    steps?.let {
      val units = scores.units()[layer].size / examples.size()
      val t = it.size / (examples.size() * units)
      val mean = DoubleArray(t * units)
      for (n in 0 until examples.size()) {
        for (i in 0 until t * units) {
          mean[i] += abs(it[n * t * units + i].toDouble()) / examples.size()
        }
      }
      StepImportance(layer, measure.text(), t, units, mean)
    }
  }
}

/** [importance] as a heat map: step across, unit down, mean |score| as the colour. */
fun Charts.importanceOverTime(importance: StepImportance, title: String? = null): Plot {
  val frame = Frame("step", "unit", "mean |score|")
  for (t in 0 until importance.steps) {
    for (u in 0 until importance.units) {
      frame.row(t + 1, u, importance.meanAbs[t * importance.units + u])
    }
  }
  return letsPlot(frame.toMap()) {
    x = "step"
    y = "unit"
    fill = "mean |score|"
  } +
    geomRaster() +
    scaleFillGradient(low = "#f7fbff", high = "#08306b") +
    labs(
      title = title ?: "${importance.measure} of hidden layer ${importance.layer + 1} at each step",
      x = "time step",
      y = "unit",
    ) +
    ggsize(720, 360)
}
