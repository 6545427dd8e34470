package dev.dropwise.dsl

import kotlin.math.abs

/**
 * How importance spreads over a layer's units (Y-Drop Fig. 2): each unit's mean |score| over the
 * examples, sorted from most to least important, and the cumulative share of the layer's total.
 */
class ImportanceProfile(
    val measure: String,
    val trainedWith: String,
    /** Per hidden layer, mean |score| per unit, sorted descending. */
    val sorted: List<DoubleArray>,
) {
    /** Per hidden layer, the share of the total held by the top units, cumulatively. */
    val cumulative: List<DoubleArray> = sorted.map { units ->
        val total = units.sum()
        var running = 0.0
        DoubleArray(units.size) { i -> running += units[i]; if (total == 0.0) 0.0 else running / total }
    }

    /** Share of layer [layer]'s total importance held by its top [fraction] of units. */
    fun shareOfTop(layer: Int, fraction: Double): Double {
        val c = cumulative[layer]
        val count = Math.round(fraction * c.size).toInt().coerceIn(1, c.size)
        return c[count - 1]
    }

    override fun toString(): String = sorted.indices.joinToString("\n", "importance profile ($measure, trained with $trainedWith)\n") { l ->
        "hidden layer ${l + 1}: top 20/40/60/80% of units hold " +
            listOf(0.2, 0.4, 0.6, 0.8).joinToString("/") { "%.0f%%".format(100 * shareOfTop(l, it)) }
    }

    companion object {
        /** From per-layer scores, each `examples × units` row-major. */
        fun of(measure: String, trainedWith: String, scores: List<FloatArray>, examples: Int): ImportanceProfile =
            ImportanceProfile(measure, trainedWith, scores.map { layer ->
                val units = layer.size / examples
                val mean = DoubleArray(units)
                for (e in 0 until examples) {
                    for (u in 0 until units) {
                        mean[u] += abs(layer[e * units + u].toDouble()) / examples
                    }
                }
                mean.sortedArrayDescending()
            })
    }
}
