package dev.dropwise.dsl

import dev.dropwise.experiments.RateSweep
import dev.dropwise.report.SmallDataStudy
import dev.dropwise.train.ProgressListener
import java.nio.file.Files
import java.nio.file.Path
import javax.imageio.ImageIO
import kotlin.math.abs
import kotlin.math.sqrt
import org.jetbrains.letsPlot.intern.toSpec
import org.junit.jupiter.api.Assertions.assertArrayEquals
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir

class ChartsAndProfilesTest {
  @TempDir lateinit var dir: Path

  private val data = fashionMnistEmbedded()

  @Test
  fun `a history chart is saved as SVG, PNG and HTML`() {
    val model =
      sequential(inputs = 784) {
        dense(32, activation = relu)
        dropout(standard(0.2))
        dense(10)
      }
    model.use {
      val run =
        it.train(data, epochs = 2) {
          limit = 600
          progress = ProgressListener.NONE
        }
      val files = Charts.saveAll(Charts.history(run.history, "test"), dir, "history")
      assertEquals(
        listOf("history.svg", "history.png", "history.html"),
        files.map { f -> f.fileName.toString() },
      )
      assertTrue(Files.readString(files[0]).contains("<svg"))
      @Suppress("UNCHECKED_CAST")
      val scales = Charts.history(run.history).toSpec()["scales"] as List<Map<String, Any>>
      val x = scales.single { s -> s["aesthetic"] == "x" }
      assertEquals("d", x["format"], "epochs are labelled as whole numbers (1, 2), not 1.0, 2.0")
      assertEquals(
        listOf(1.0, 2.0),
        (x["breaks"] as List<*>).map { b -> (b as Number).toDouble() },
        "one break per epoch",
      )
      val png = ImageIO.read(files[1].toFile())
      assertEquals(1520, png.width, "760 px wide at scale 2")
      assertTrue(Files.readString(files[2]).contains("<html"), "an HTML page")
    }
  }

  @Test
  fun `an importance profile is sorted and its cumulative share ends at one`() {
    val model =
      sequential(inputs = 784) {
        dense(40, activation = relu)
        dense(10)
      }
    model.use {
      val run =
        it.train(data, epochs = 1) {
          limit = 500
          progress = ProgressListener.NONE
        }
      val profile = run.importance(conductance(steps = 8), data.test(), limit = 50)
      val sorted = profile.sorted()[0]
      assertEquals(40, sorted.size)
      for (i in 1 until sorted.size) {
        assertTrue(sorted[i] <= sorted[i - 1])
      }
      assertEquals(1.0, profile.cumulative()[0].last(), 1e-9)
      // The top 20% (8 of 40 units): their summed score over the layer's total, computed here.
      assertEquals(sorted.take(8).sum() / sorted.sum(), profile.shareOfTop(0, 0.2), 1e-9)
      @Suppress("UNCHECKED_CAST")
      val drawn = Charts.importanceProfile(profile).toSpec()["data"] as Map<String, List<Any>>
      assertEquals(
        sorted.toList() + profile.cumulative()[0].toList(),
        drawn.getValue("value").map { v -> (v as Number).toDouble() },
        "the chart draws the sorted scores, then the cumulative share",
      )
      assertEquals(
        List(40) { "mean |importance|" } + List(40) { "cumulative share" },
        drawn.getValue("panel"),
      )
    }
  }

  @Test
  fun `a CNN's profile ranks channels by their summed conductance`() {
    val model =
      sequential(image = image(28, 28)) {
        conv2d(6, 3, activation = relu)
        maxPool(2)
        dropout(dropBlock())
        dense(12, activation = relu)
        dense(10)
      }
    model.use {
      val run =
        it.train(data, epochs = 1) {
          limit = 300
          progress = ProgressListener.NONE
        }
      val profile = run.importance(conductance(steps = 4), data.test(), limit = 20)
      assertEquals(
        listOf(6, 6, 14 * 14 * 6, 12),
        profile.sorted().map { p -> p.size },
        "conv and pool: one value per channel; flatten and dense: per unit",
      )
      assertEquals(1.0, profile.cumulative()[0].last(), 1e-9)
      val curve =
        run.robustness(
          conductance(steps = 4),
          data.train(),
          data.test(),
          limit = 100,
          fractions = doubleArrayOf(0.0, 0.5),
          repeats = 3,
        )
      assertEquals(
        run.evaluate(data.test().head(100)).accuracy(),
        curve[0].randomMean(),
        1e-6,
        "nothing removed: the model's own accuracy",
      )
      assertTrue(
        curve[1].randomMean() < curve[0].randomMean(),
        "half of every layer's channels and units removed",
      )
      @Suppress("UNCHECKED_CAST")
      val drawn =
        Charts.robustness(mapOf("dropBlock" to curve)).toSpec()["data"] as Map<String, List<Any>>
      assertEquals(
        curve.flatMap { p -> listOf(p.randomMean(), p.importantFirst()) },
        drawn.getValue("accuracy").map { v -> (v as Number).toDouble() },
        "per fraction: at random, then most important first",
      )
      assertEquals(
        curve.flatMap { p -> listOf(p.randomMean() - p.randomStd(), p.importantFirst()) },
        drawn.getValue("low").map { v -> (v as Number).toDouble() },
        "random: mean − std; important first: no spread",
      )
    }
  }

  @Test
  fun `the rate sweep draws each mean with its spread over the seeds`() {
    val points =
      listOf(
        RateSweep.Point("standard", 0.25, 0.25, 0.80, 0.01, 0.50, 0.02),
        RateSweep.Point("sector-wise", 0.5, 0.5, 0.78, 0.03, 0.60, 0.04),
      )
    val plot = Charts.rateSweep(points)
    @Suppress("UNCHECKED_CAST") val data = plot.toSpec()["data"] as Map<String, List<Number>>
    fun column(name: String) = data.getValue(name).map { it.toDouble() }.toDoubleArray()
    // Per point: accuracy, then loss.
    assertArrayEquals(doubleArrayOf(0.80, 0.50, 0.78, 0.60), column("value"), 1e-12)
    assertArrayEquals(doubleArrayOf(0.79, 0.48, 0.75, 0.56), column("low"), 1e-12)
    assertArrayEquals(doubleArrayOf(0.81, 0.52, 0.81, 0.64), column("high"), 1e-12)
    @Suppress("UNCHECKED_CAST")
    val geoms = (plot.toSpec()["layers"] as List<Map<String, Any>>).map { it["geom"] }
    assertEquals(listOf("line", "point", "errorbar"), geoms)
    val svg = Files.readString(Charts.save(plot, dir.resolve("sweep.svg")))
    for (method in listOf("standard", "sector-wise")) {
      assertTrue(Regex(">\\s*$method\\s*<").containsMatchIn(svg), "the legend names $method")
    }
  }

  @Test
  fun `the pruning sweep starts every line at the original and draws accuracy and speed`() {
    val net = dev.dropwise.model.ModelSpec.parseNetwork("4", "dense:2,dense:3")
    fun point(ranking: String, keep: Double, epochs: Int, accuracy: Double, speed: Double) =
      dev.dropwise.experiments.PruningSweep.Point(
        ranking,
        keep,
        epochs,
        net,
        accuracy,
        10,
        speed,
        dir,
      )
    val points =
      listOf(
        point("none", 1.0, 0, 0.9, 100.0),
        point("random", 0.5, 0, 0.6, 180.0),
        point("random", 0.5, 1, 0.8, 170.0),
      )
    val plot = Charts.pruningSweep(points)
    @Suppress("UNCHECKED_CAST") val data = plot.toSpec()["data"] as Map<String, List<Any>>
    // The original twice (one line untuned, one fine-tuned), then each point; accuracy, then speed.
    assertEquals(
      listOf(0.9, 100.0, 0.9, 100.0, 0.6, 180.0, 0.8, 170.0),
      data.getValue("value").map { (it as Number).toDouble() },
    )
    assertEquals(
      listOf("none", "none", "1 epoch", "1 epoch", "none", "none", "1 epoch", "1 epoch"),
      data.getValue("fine-tuned"),
    )
    assertEquals(
      listOf(1.0, 1.0, 1.0, 1.0, 0.5, 0.5, 0.5, 0.5),
      data.getValue("keep").map { (it as Number).toDouble() },
    )
  }

  @Test
  fun `the small-data gap chart draws each difference with its confidence interval on a log scale of sizes`() {
    val points =
      listOf(
        SmallDataStudy.SizePoint("ydrop", 900, -1.5, 2.2),
        SmallDataStudy.SizePoint("ydrop", 4500, 0.1, 0.4),
        SmallDataStudy.SizePoint("lrp", 900, 1.0, 1.3),
      )
    val plot = Charts.differenceBySize(points)
    @Suppress("UNCHECKED_CAST") val data = plot.toSpec()["data"] as Map<String, List<Any>>
    fun column(name: String) = data.getValue(name).map { (it as Number).toDouble() }.toDoubleArray()
    assertArrayEquals(doubleArrayOf(900.0, 4500.0, 900.0), column("training examples"), 1e-12)
    assertArrayEquals(doubleArrayOf(-3.7, -0.3, -0.3), column("low"), 1e-12)
    assertArrayEquals(doubleArrayOf(0.7, 0.5, 2.3), column("high"), 1e-12)
    @Suppress("UNCHECKED_CAST")
    val geoms = (plot.toSpec()["layers"] as List<Map<String, Any>>).map { it["geom"] }
    assertEquals(listOf("hline", "line", "pointrange"), geoms)
    @Suppress("UNCHECKED_CAST") val scales = plot.toSpec()["scales"] as List<Map<String, Any>>
    assertEquals("log10", scales.first { it["aesthetic"] == "x" }["trans"], "sizes on a log scale")
    val svg = Files.readString(Charts.save(plot, dir.resolve("gap.svg")))
    for (method in listOf("ydrop", "lrp")) {
      assertTrue(Regex(">\\s*$method\\s*<").containsMatchIn(svg), "the legend names $method")
    }
  }

  @Test
  fun `compare covers architectures and resumes from its runs`() {
    val runs = dir.resolve("runs").toString()
    fun sweep() =
      compare(data) {
        methods(standard(0.5))
        architectures(listOf(16), listOf(16, 16))
        seeds(1)
        epochs = 1
        limit = 500
        runsDir = runs
      }
    val first = sweep()
    assertEquals(
      listOf("standard:p=0.5 @ 784-16-10", "standard:p=0.5 @ 784-16-16-10"),
      first.summaries.map { it.method() },
    )
    assertEquals(
      2,
      Files.list(dir.resolve("runs")).use { files ->
        files.filter { it.toString().endsWith(".json") }.count()
      },
    )
    val again = sweep()
    assertEquals(first.runs.map { it.testAccuracy() }, again.runs.map { it.testAccuracy() })
    assertEquals(
      first.runs.map { it.seconds() },
      again.runs.map { it.seconds() },
      "loaded, not retrained: the recorded times come back",
    )
  }

  @Test
  fun `input weights are drawn as images, each unit scaled by its largest weight`() {
    val model =
      sequential(inputs = 784) {
        dense(16, activation = relu)
        dense(10)
      }
    model.use {
      val run =
        it.train(data, epochs = 1) {
          limit = 300
          progress = ProgressListener.NONE
        }
      val plot = Charts.inputWeights(mapOf("none" to run), units = 3)
      @Suppress("UNCHECKED_CAST") val columns = plot.toSpec()["data"] as Map<String, List<Any>>
      fun numbers(name: String) = columns.getValue(name).map { (it as Number).toDouble() }
      val weight = numbers("weight")
      val x = numbers("x")
      val y = numbers("y")
      assertEquals(3 * 784, weight.size)
      val kernel = run.session.variableValues().getValue("dense_0_kernel") // [784, 16]
      for (u in 0 until 3) {
        val mine = weight.subList(u * 784, (u + 1) * 784)
        assertEquals(1.0, mine.maxOf { w -> abs(w) }, 1e-6, "unit ${u + 1} peaks at |1|")
        val largest = (0 until 784).maxOf { i -> abs(kernel[i * 16 + u]) }
        // Pixel (row 2, column 5) of the image is input 2 * 28 + 5, drawn at y = 27 - 2.
        val at = (0 until 784).single { i -> x[u * 784 + i] == 5.0 && y[u * 784 + i] == 25.0 }
        assertEquals((kernel[(2 * 28 + 5) * 16 + u] / largest).toDouble(), mine[at], 1e-6)
      }
      val stderr = System.err
      val messages = java.io.ByteArrayOutputStream()
      System.setErr(java.io.PrintStream(messages, true))
      try {
        Charts.save(plot, dir.resolve("weights.png"))
      } finally {
        System.setErr(stderr)
      }
      assertEquals("", messages.toString(), "the raster layer rasterises without complaint")
      assertEquals(
        2 * (maxOf(110 * 3 + 160, 480)),
        ImageIO.read(dir.resolve("weights.png").toFile()).width,
      )
      val tooMany =
        assertThrows(IllegalArgumentException::class.java) {
          Charts.inputWeights(mapOf("none" to run), units = 17)
        }
      assertEquals("units=17 is not allowed for 'none': it must be in [1, 16]", tooMany.message)
    }
  }

  @Test
  fun `a rate sweep trains standard dropout at every rate and sector-wise where a sector can drop that share`() {
    val points =
      rateSweep(
        data,
        rates = listOf(0.05, 0.2, 0.3, 0.5),
        layers = listOf(16),
        seeds = 1..2,
        epochs = 1,
        limit = 500,
      )
    // round(0.05 * 8) = 0 units of a sector: sector-wise has no such rate.
    assertEquals(
      listOf(
        "standard" to 0.05,
        "standard" to 0.2,
        "sector-wise" to 0.2,
        "standard" to 0.3,
        "sector-wise" to 0.3,
        "standard" to 0.5,
        "sector-wise" to 0.5,
      ),
      points.map { it.method() to it.rate() },
    )
    assertTrue(points.all { it.accuracyStd() > 0 }, "two seeds, two different models")
    // Standard dropout drops its rate in expectation; sector-wise exactly round(8·rate) of 8 units,
    // so 0.2 and 0.3 both drop 2 of 8 and train the same models.
    assertEquals(listOf(0.05, 0.2, 0.25, 0.3, 0.25, 0.5, 0.5), points.map { it.dropped() })
    val (sector02, sector03) = points.filter { it.method() == "sector-wise" }.take(2)
    assertEquals(sector02.accuracyMean(), sector03.accuracyMean())
    assertEquals(sector02.lossMean(), sector03.lossMean())
    val error =
      assertThrows(IllegalArgumentException::class.java) {
        rateSweep(data, rates = listOf(0.5), n = 1)
      }
    assertEquals("n=1 is not allowed: a sector needs at least 2 units", error.message)
  }

  @Test
  fun `a comparison pairs two methods by seed`() {
    val result =
      compare(data) {
        methods(none, standard(0.5))
        seeds(1..3)
        layers(16)
        epochs = 1
        limit = 500
      }
    val d = result.paired(standard(0.5), none)
    val byMethod = result.runs.groupBy { it.method() }
    val differences =
      (0 until 3).map {
        byMethod.getValue("standard:p=0.5")[it].testAccuracy() -
          byMethod.getValue("none")[it].testAccuracy()
      }
    assertEquals(3, d.seeds())
    assertEquals(100 * differences.average(), d.meanPoints(), 1e-9)
    val std = sqrt(differences.sumOf { (it - differences.average()).let { x -> x * x } } / 2)
    assertEquals(differences.average() / (std / sqrt(3.0)), d.t(), 1e-9)
    val error = assertThrows(IllegalArgumentException::class.java) { result.paired(yDrop(), none) }
    assertTrue(
      error.message!!.contains("is not in this comparison; it has: none, standard:p=0.5"),
      error.message,
    )
  }

  @Test
  fun `compare trains every method with every seed`() {
    val result =
      compare(data) {
        methods(none, standard(0.5), sectorWise(n = 8, p = 0.5))
        seeds(1..2)
        layers(32)
        epochs = 2
        limit = 1500
      }
    assertEquals(6, result.runs.size)
    assertEquals(
      listOf("none", "standard:p=0.5", "sector:n=8,p=0.5"),
      result.summaries.map { it.method() },
    )
    assertTrue(result.summaries.all { it.runs() == 2 && it.accuracyMean() > 0.4 }, result.table())
    assertTrue(result.table().contains("±"))
  }

  @Test
  fun `compare takes the network as a model per method`() {
    fun byLayers() =
      compare(data) {
        methods(none, standard(0.5))
        layers(32)
        seeds(1)
        epochs = 1
        limit = 300
      }
    val built =
      compare(data) {
        methods(none, standard(0.5))
        model { method ->
          sequential(inputs = 784) {
            dense(32)
            dropout(method)
            dense(10)
          }
        }
        seeds(1)
        epochs = 1
        limit = 300
      }
    assertEquals(listOf("none", "standard:p=0.5"), built.summaries.map { it.method() })
    assertEquals("784-32-10, 1 epoch, batch 64, seeds [1]", built.title)
    assertEquals(
      byLayers().runs.map { it.testAccuracy() },
      built.runs.map { it.testAccuracy() },
      "the same networks as layers(32): the same runs",
    )
  }
}
