package dev.dropwise.dsl

import dev.dropwise.data.ClassificationData
import dev.dropwise.data.Dataset
import dev.dropwise.data.Shift
import dev.dropwise.dropout.DropoutSpec
import dev.dropwise.export.MonteCarlo
import dev.dropwise.export.ServingModel
import dev.dropwise.train.ProgressListener
import java.nio.file.Path
import java.util.Random
import org.jetbrains.letsPlot.intern.toSpec
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNotEquals
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir

class UncertaintyDslTest {
  @TempDir lateinit var dir: Path

  /**
   * 784-32-10 with [method], one epoch on the first [limit] examples of [data], given to [test].
   */
  private fun trained(
    data: ClassificationData,
    method: DropoutSpec,
    limit: Int,
    test: (Model, Run) -> Unit,
  ) =
    sequential(inputs = 784) {
        dense(32)
        dropout(method)
        dense(10)
      }
      .use { model ->
        val run =
          model.train(data, epochs = 1) {
            this.limit = limit
            progress = ProgressListener.NONE
          }
        test(model, run)
      }

  @Test
  fun `an export's uncertainty ties out with the model in memory and draws`() {
    val data = fashionMnistEmbedded()
    trained(data, standard(0.3), limit = 600) { it, run ->
      val export = dir.resolve("model").toString()
      it.exportSavedModel(export)
      val random = Random(0)
      val noise =
        Dataset(
          FloatArray(100 * 784) { random.nextFloat() * 255f },
          IntArray(100) { i -> i % 2 },
          784,
          2,
        )
      val results = uncertainty(export, data, ood = noise, samples = 5, limit = 200)
      assertEquals(
        listOf("serving_default", "mc_dropout (T=5)"),
        results.map { r -> r.predictor() },
      )
      // The export scales raw pixels itself; the model in memory saw them scaled: the same answers.
      val inMemory = run.evaluate(data.test().head(200)).accuracy()
      assertEquals(inMemory, results[0].measures()["accuracy"]!!, 1e-12)
      assertTrue(results[1].measures().containsKey("ood_auroc_mutual_information"))
      for (r in results) {
        assertEquals(200, r.reliability().sumOf { b -> b.count() }, "every example in one bin")
      }
      @Suppress("UNCHECKED_CAST")
      val layers = Charts.reliability(results).toSpec()["layers"] as List<Map<String, Any>>
      assertEquals(listOf("abline", "line", "point"), layers.map { l -> l["geom"] })
      val curve = Charts.riskCoverage(results).toSpec()
      assertEquals(
        400,
        ((curve["data"] as Map<*, *>)["risk"] as List<*>).size,
        "200 coverages for each of the two predictors",
      )
      assertTrue(
        Charts.svg(
            Charts.scoreDensities(
              mapOf("a" to floatArrayOf(0.1f, 0.2f), "b" to floatArrayOf(0.5f, 0.7f)),
              "MI",
            )
          )
          .contains("<svg")
      )
    }
  }

  @Test
  fun `held-out classes are the unknown inputs and shifts are measured by severity`() {
    val data = data("embedded", oodClasses = listOf("8", "Ankle boot"))
    trained(data, standard(0.3), limit = 600) { it, run ->
      assertEquals(listOf("Bag", "Ankle boot"), run.oodClasses)
      val export = dir.resolve("held").toString()
      it.exportSavedModel(export)
      assertEquals(
        listOf("Bag", "Ankle boot"),
        ServingModel.load(Path.of(export)).use { m -> m.oodClasses() },
      )
      val known = data.test().size()
      assertEquals(known, data.unscaledTest().labels().count { l -> l < 8 })
      val results = uncertainty(export, data, samples = 3)
      for (r in results) {
        assertEquals(known, r.reliability().sumOf { b -> b.count() }, "the known classes' images")
        assertTrue(r.measures().containsKey("ood_auroc_entropy"))
      }
      val shifted =
        underShift(export, data, listOf(Shift.CONTRAST, Shift.BLUR), samples = 3, limit = 100)
      assertEquals(2 * 6 * 2, shifted.size, "2 shifts, severities 0 to 5, 2 predictors")
      val clean = uncertainty(export, data, samples = 3, limit = 100)
      for (r in shifted.filter { s -> s.severity() == 0 }) {
        val all = clean.first { c -> c.predictor() == r.predictor() }.measures()
        assertEquals(all.filterKeys { m -> !m.startsWith("ood_") }, r.measures())
      }
      val spec = Charts.underShift(shifted, "ece").toSpec()
      assertEquals("shift", (spec["facet"] as Map<*, *>)["facets"])
      assertEquals(24, ((spec["data"] as Map<*, *>)["ece"] as List<*>).size)
    }
    val table = data("csv:/usr/lib/python3/dist-packages/sklearn/datasets/data/wine_data.csv")
    assertEquals(
      "shifts work on images, and the data's examples have the shape [13]",
      assertThrows(IllegalArgumentException::class.java) { underShift("x", table) }.message,
    )
  }

  @Test
  fun `an importance-guided model exports with Monte Carlo passes at its frozen rates`() {
    val data = fashionMnistEmbedded()
    trained(data, pfid(), limit = 400) { it, run ->
      assertEquals(listOf(1), run.monteCarloLayers.sampledAs().keys.toList(), "the spec's dropout")
      val export = dir.resolve("pfid").toString()
      it.exportSavedModel(export)
      val results = uncertainty(export, data, samples = 4, limit = 50)
      assertEquals(
        listOf("serving_default", "mc_dropout (T=4)"),
        results.map { r -> r.predictor() },
        "sampled, not left out",
      )
      // Live: PFID's rates from the importance of the examples measured, not the frozen ones.
      val live =
        uncertainty(export, data, samples = 4, limit = 50, sampling = MonteCarlo.Sampling.LIVE)
      assertEquals("mc_dropout live (T=4)", live[1].predictor())
      assertEquals(results[0].measures(), live[0].measures(), "serving_default is the same")
      assertNotEquals(results[1].measures()["nll"], live[1].measures()["nll"])
    }
  }
}
