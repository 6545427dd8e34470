package dev.dropwise.dsl

import dev.dropwise.analysis.Robustness
import dev.dropwise.experiments.Comparison
import dev.dropwise.experiments.RateSweep
import dev.dropwise.report.SmallDataStudy
import dev.dropwise.train.History
import org.jetbrains.letsPlot.coord.coordFlip
import org.jetbrains.letsPlot.facet.facetWrap
import org.jetbrains.letsPlot.geom.geomErrorBar
import org.jetbrains.letsPlot.geom.geomHLine
import org.jetbrains.letsPlot.geom.geomLine
import org.jetbrains.letsPlot.geom.geomPoint
import org.jetbrains.letsPlot.geom.geomPointRange
import org.jetbrains.letsPlot.ggsize
import org.jetbrains.letsPlot.intern.Plot
import org.jetbrains.letsPlot.label.labs
import org.jetbrains.letsPlot.letsPlot
import org.jetbrains.letsPlot.pos.positionDodge
import org.jetbrains.letsPlot.scale.scaleColorBrewer
import org.jetbrains.letsPlot.scale.scaleXContinuous
import org.jetbrains.letsPlot.scale.scaleXLog10

/**
 * The dropwise charts, as Lets-Plot plots; [Charts.inputWeights] draws weights as images and
 * [Charts.save] writes any of them to SVG, PNG (through Batik) or HTML (ChartFiles.kt).
 */
object Charts {
  // One colour per trained model: ColorBrewer's Dark2 stays legible on white (the default's yellow
  // does not).
  internal val models = scaleColorBrewer(palette = "Dark2")

  /**
   * Loss and accuracy per epoch, train and validation, side by side; and each layer's scheduled
   * rate, if any.
   */
  fun history(history: History, title: String = "training history"): Plot {
    val data = Frame("epoch", "value", "split", "metric")
    for (e in history.epochs()) {
      fun add(metric: String, split: String, value: Double?) {
        if (value != null) {
          data.row(e.epoch(), value, split, metric)
        }
      }
      add("loss", "train", e.trainLoss())
      add("loss", "validation", e.validationLoss())
      add("accuracy", "train", e.trainAccuracy())
      add("accuracy", "validation", e.validationAccuracy())
      e.scheduledRates().forEachIndexed { layer, rate ->
        add("scheduled rate", "layer ${layer + 1}", rate)
      }
    }
    return letsPlot(data.toMap()) {
      x = "epoch"
      y = "value"
      color = "split"
    } +
      geomLine() +
      geomPoint() +
      facetWrap(facets = "metric", ncol = data["metric"].distinct().size, scales = "free_y") +
      scaleXContinuous(breaks = data["epoch"].distinct().map { it as Number }, format = "d") +
      labs(title = title, y = "") +
      ggsize(760, 320)
  }

  /** Mean test accuracy per method with ± std error bars. */
  fun comparison(
    summaries: List<Comparison.Summary>,
    title: String = "test accuracy, dropout off",
  ): Plot {
    // "method @ architecture" labels: one panel per architecture, methods as rows. Means ± std as
    // point ranges, not bars from zero, so differences of tenths of a point stay visible.
    val labels = summaries.map { it.method().split(" @ ", limit = 2) }
    val data =
      mapOf(
        "method" to labels.map { it[0] },
        "architecture" to labels.map { it.getOrElse(1) { "" } },
        "accuracy" to summaries.map { it.accuracyMean() },
        "low" to summaries.map { it.accuracyMean() - it.accuracyStd() },
        "high" to summaries.map { it.accuracyMean() + it.accuracyStd() },
      )
    val architectures = data.getValue("architecture").distinct().size
    var plot =
      letsPlot(data) {
        x = "method"
        y = "accuracy"
      } +
        geomPointRange(color = "#4C72B0") {
          ymin = "low"
          ymax = "high"
        } +
        coordFlip() +
        labs(title = title, x = "", y = "test accuracy (mean ± std over seeds)") +
        ggsize(760, 120 + 26 * summaries.size)
    if (architectures > 1) plot += facetWrap(facets = "architecture", ncol = 1, scales = "free_y")
    return plot
  }

  /** Sorted mean importance per unit and its cumulative share, per hidden layer (Y-Drop Fig. 2). */
  fun importanceProfile(profile: ImportanceProfile): Plot {
    val data = Frame("unit (sorted)", "value", "panel", "layer")
    val cumulative = profile.cumulative()
    profile.sorted().forEachIndexed { l, sorted ->
      sorted.forEachIndexed { i, v -> data.row(i, v, "mean |importance|", "hidden ${l + 1}") }
      cumulative[l].forEachIndexed { i, v -> data.row(i, v, "cumulative share", "hidden ${l + 1}") }
    }
    return letsPlot(data.toMap()) {
      x = "unit (sorted)"
      y = "value"
      color = "layer"
    } +
      geomLine() +
      facetWrap(facets = "panel", ncol = 2, scales = "free_y") +
      labs(title = "${profile.measure()}, trained with ${profile.trainedWith()}", y = "") +
      ggsize(760, 320)
  }

  /** Sorted importance and cumulative share of the first hidden layer, one line per model. */
  fun profiles(profiles: List<ImportanceProfile>, title: String = "importance profiles"): Plot {
    val data = Frame("share of units (sorted)", "value", "panel", "trained with")
    for (p in profiles) {
      val sorted = p.sorted()[0]
      val cumulative = p.cumulative()[0]
      sorted.forEachIndexed { i, v ->
        data.row(i.toDouble() / sorted.size, v, "mean |importance|", p.trainedWith())
      }
      cumulative.forEachIndexed { i, v ->
        data.row(i.toDouble() / sorted.size, v, "cumulative share", p.trainedWith())
      }
    }
    return letsPlot(data.toMap()) {
      x = "share of units (sorted)"
      y = "value"
      color = "trained with"
    } +
      geomLine() +
      models +
      facetWrap(facets = "panel", ncol = 2, scales = "free_y") +
      labs(title = title, y = "") +
      ggsize(860, 340)
  }

  /**
   * Accuracy against the fraction of hidden units removed: random (mean ± std) and most important
   * first.
   */
  fun robustness(curves: Map<String, List<Robustness.Point>>, title: String = "robustness"): Plot {
    val data = Frame("fraction removed", "accuracy", "low", "high", "order", "trained with")
    for ((method, points) in curves) {
      for (p in points) {
        data.row(
          p.fraction(),
          p.randomMean(),
          p.randomMean() - p.randomStd(),
          p.randomMean() + p.randomStd(),
          "at random",
          method,
        )
        data.row(
          p.fraction(),
          p.importantFirst(),
          p.importantFirst(),
          p.importantFirst(),
          "most important first",
          method,
        )
      }
    }
    return letsPlot(data.toMap()) {
      x = "fraction removed"
      y = "accuracy"
      color = "trained with"
    } +
      geomLine() +
      geomErrorBar(width = 0.01) {
        ymin = "low"
        ymax = "high"
      } +
      models +
      facetWrap(facets = "order", ncol = 2) +
      labs(title = title, y = "test accuracy") +
      ggsize(860, 340)
  }

  /** Test accuracy and loss against the dropout rate, one line per method, ± std over the seeds. */
  fun rateSweep(points: List<RateSweep.Point>, title: String = "rate sweep"): Plot {
    val data = Frame("rate", "value", "low", "high", "metric", "method")
    for (p in points) {
      data.row(
        p.rate(),
        p.accuracyMean(),
        p.accuracyMean() - p.accuracyStd(),
        p.accuracyMean() + p.accuracyStd(),
        "test accuracy",
        p.method(),
      )
      data.row(
        p.rate(),
        p.lossMean(),
        p.lossMean() - p.lossStd(),
        p.lossMean() + p.lossStd(),
        "test loss",
        p.method(),
      )
    }
    return letsPlot(data.toMap()) {
      x = "rate"
      y = "value"
      color = "method"
    } +
      geomLine() +
      geomPoint() +
      geomErrorBar(width = 0.02) {
        ymin = "low"
        ymax = "high"
      } +
      models +
      facetWrap(facets = "metric", ncol = 2, scales = "free_y") +
      labs(title = title, y = "") +
      ggsize(760, 320)
  }

  /**
   * Each method's test-accuracy difference to a baseline (points, ± 95% CI over paired seeds)
   * against the number of training examples (log scale), one line per method; 0 is the baseline.
   */
  fun differenceBySize(
    points: List<SmallDataStudy.SizePoint>,
    title: String = "difference to standard dropout",
  ): Plot {
    val data = Frame("training examples", "points", "low", "high", "method")
    for (p in points) {
      data.row(
        p.examples().toDouble(),
        p.meanPoints(),
        p.meanPoints() - p.halfWidthPoints(),
        p.meanPoints() + p.halfWidthPoints(),
        p.method(),
      )
    }
    // Side by side at each size, so that the intervals do not hide each other.
    val dodge = positionDodge(0.12)
    val sizes = points.map { it.examples().toDouble() }.distinct().sorted()
    return letsPlot(data.toMap()) {
      x = "training examples"
      y = "points"
      color = "method"
    } +
      geomHLine(yintercept = 0.0, linetype = "dashed", color = "gray") +
      geomLine(position = dodge) +
      geomPointRange(position = dodge) {
        ymin = "low"
        ymax = "high"
      } +
      models +
      scaleXLog10(breaks = sizes, format = ",d") +
      labs(title = title, y = "accuracy difference (points)") +
      ggsize(760, 380)
  }
}
