package dev.dropwise.dsl

import dev.dropwise.data.Dataset
import dev.dropwise.train.ProgressListener
import java.nio.file.Path
import java.util.Random
import org.jetbrains.letsPlot.intern.toSpec
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir

class UncertaintyDslTest {
  @TempDir lateinit var dir: Path

  @Test
  fun `an export's uncertainty ties out with the model in memory and draws`() {
    val data = fashionMnistEmbedded()
    val model =
      sequential(inputs = 784) {
        dense(32)
        dropout(standard(0.3))
        dense(10)
      }
    model.use {
      val run =
        it.train(data, epochs = 1) {
          limit = 600
          progress = ProgressListener.NONE
        }
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
}
