package dev.dropwise.dsl

import dev.dropwise.analysis.Robustness
import dev.dropwise.experiments.Comparison
import dev.dropwise.experiments.RateSweep
import dev.dropwise.model.LayerSpec
import dev.dropwise.network.LayerNames
import dev.dropwise.report.SmallDataStudy
import dev.dropwise.train.History
import dev.dropwise.util.AtomicFiles
import dev.dropwise.util.OutputDirectories
import java.io.ByteArrayOutputStream
import java.io.StringReader
import java.nio.file.Path
import kotlin.math.abs
import org.apache.batik.transcoder.TranscoderInput
import org.apache.batik.transcoder.TranscoderOutput
import org.apache.batik.transcoder.image.PNGTranscoder
import org.jetbrains.letsPlot.Figure
import org.jetbrains.letsPlot.awt.plot.PlotSvgExport
import org.jetbrains.letsPlot.coord.coordFixed
import org.jetbrains.letsPlot.coord.coordFlip
import org.jetbrains.letsPlot.facet.facetGrid
import org.jetbrains.letsPlot.facet.facetWrap
import org.jetbrains.letsPlot.geom.geomErrorBar
import org.jetbrains.letsPlot.geom.geomHLine
import org.jetbrains.letsPlot.geom.geomLine
import org.jetbrains.letsPlot.geom.geomPoint
import org.jetbrains.letsPlot.geom.geomPointRange
import org.jetbrains.letsPlot.geom.geomRaster
import org.jetbrains.letsPlot.ggsize
import org.jetbrains.letsPlot.intern.Plot
import org.jetbrains.letsPlot.intern.toSpec
import org.jetbrains.letsPlot.label.labs
import org.jetbrains.letsPlot.letsPlot
import org.jetbrains.letsPlot.pos.positionDodge
import org.jetbrains.letsPlot.scale.scaleColorBrewer
import org.jetbrains.letsPlot.scale.scaleFillGradient2
import org.jetbrains.letsPlot.scale.scaleXContinuous
import org.jetbrains.letsPlot.scale.scaleXLog10
import org.jetbrains.letsPlot.themes.themeVoid

/** A chart's data as Lets-Plot takes it, column by column, filled one row at a time. */
private class Frame(vararg names: String) {
  private val columns = names.associateWith { mutableListOf<Any>() }

  fun row(vararg values: Any) {
    require(values.size == columns.size) {
      "a row of ${values.size} values for ${columns.size} columns"
    }
    columns.values.zip(values).forEach { (column, value) -> column += value }
  }

  operator fun get(name: String): List<Any> = columns.getValue(name)

  fun toMap(): Map<String, List<Any>> = columns
}

/**
 * The dropwise charts, as Lets-Plot plots, and their export to SVG, PNG (through Batik) and HTML.
 */
object Charts {
  // One colour per trained model: ColorBrewer's Dark2 stays legible on white (the default's yellow
  // does not).
  private val models = scaleColorBrewer(palette = "Dark2")

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

  /**
   * What the first Dense layer of each model responds to (seed 004: compare the weights learned
   * with and without dropout): the incoming weights of its first [units] units drawn as [height] ×
   * [width] images (default: the training data's image shape; a colour image's channels are
   * averaged), each divided by its largest |weight| so that every unit's pattern shows whatever its
   * scale. Red: the unit is excited by ink there; blue: inhibited.
   */
  fun inputWeights(
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
      scaleFillGradient2(
        low = "#2166AC",
        mid = "#F7F7F7",
        high = "#B2182B",
        midpoint = 0.0,
        limits = -1.0 to 1.0,
      ) +
      coordFixed() +
      themeVoid() +
      labs(title = "first-layer weights", fill = "weight /\nmax |weight|") +
      ggsize(maxOf(110 * units + 160, 480), 110 * runs.size + 80)
  }

  fun svg(plot: Figure): String = PlotSvgExport.buildSvgImageFromRawSpecs(plot.toSpec())

  fun png(plot: Figure, scale: Float = 2f): ByteArray {
    val transcoder = PNGTranscoder()
    // Batik's CSS parser rejects "pixelated" (which Lets-Plot puts on raster layers beside
    // "optimizeSpeed") and prints an error per image; optimizeSpeed alone renders the same.
    val svg = svg(plot).replace("; image-rendering: pixelated", "")
    Regex("width=\"([0-9.]+)").find(svg)?.groupValues?.get(1)?.toFloatOrNull()?.let {
      transcoder.addTranscodingHint(PNGTranscoder.KEY_WIDTH, it * scale)
    }
    val out = ByteArrayOutputStream()
    transcoder.transcode(TranscoderInput(StringReader(svg)), TranscoderOutput(out))
    return out.toByteArray()
  }

  /** Saves [plot] by the extension of [file]: `.svg`, `.png` or `.html`; written atomically. */
  fun save(plot: Figure, file: Path): Path {
    val name = file.fileName.toString()
    when {
      name.endsWith(".svg") -> AtomicFiles.write(file, svg(plot))
      name.endsWith(".png") -> AtomicFiles.write(file, png(plot))
      // Self-contained: the SVG inline. (Lets-Plot's own HTML export loads its JavaScript from
      // a CDN and shows nothing offline.)
      name.endsWith(".html") ->
        AtomicFiles.write(
          file,
          "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>${name.removeSuffix(".html")}</title></head>\n" +
            "<body>\n${svg(plot)}\n</body></html>\n",
        )
      else ->
        throw IllegalArgumentException("chart file $file: the name must end in .svg, .png or .html")
    }
    return file
  }

  /**
   * `<dir>/<name>.svg`, `.png` and `.html`; [dir] must be new, empty or already dropwise's
   * ([OutputDirectories]), so that no chart replaces a file of the user's.
   */
  fun saveAll(plot: Figure, dir: Path, name: String): List<Path> {
    OutputDirectories.claim("chart directory", dir)
    return listOf("svg", "png", "html").map { save(plot, dir.resolve("$name.$it")) }
  }
}
