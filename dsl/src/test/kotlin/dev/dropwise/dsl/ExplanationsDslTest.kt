package dev.dropwise.dsl

import dev.dropwise.data.Dataset
import dev.dropwise.train.ProgressListener
import kotlin.math.abs
import org.jetbrains.letsPlot.intern.Plot
import org.jetbrains.letsPlot.intern.toSpec
import org.junit.jupiter.api.Assertions.assertArrayEquals
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

class ExplanationsDslTest {
  /** The DSL's attributions are the registry's texts, its defaults unrepeated. */
  @Test
  fun `attributions are the core's, written only where they differ from its defaults`() {
    assertEquals("lrp", lrpToInput().text())
    assertEquals(
      "lrp:composite=epsilon-plus,first=flat",
      lrpToInput("epsilon-plus", first = "flat").text(),
    )
    assertEquals("integrated-gradients", integratedGradients().text())
    assertEquals("integrated-gradients:steps=8", integratedGradients(steps = 8).text())
    assertEquals("smoothgrad:samples=4,seed=2", smoothGrad(samples = 4, seed = 2).text())
    assertEquals("gradient-x-input", gradientTimesInput.text())
    val wrong = assertThrows(IllegalArgumentException::class.java) { lrpToInput(dense = "zbox") }
    assertTrue(
      wrong.message!!.startsWith("dense=zbox is not allowed: zbox applies to the first layer only")
    )
  }

  /**
   * On a trained CNN: integrated gradients through the DSL are complete (their sum is the explained
   * logit's change from the zero baseline), and a class named or given by index is the same class.
   */
  @Test
  fun `a run's input relevance is complete and explains the class asked for`() {
    val data = fashionMnistEmbedded()
    val model =
      sequential(image = image(28, 28)) {
        conv2d(4, 3)
        maxPool(2)
        dense(16)
        dense(10)
      }
    model.use {
      val run =
        it.train(data, epochs = 1) {
          limit = 300
          seed = 1
          progress = ProgressListener.NONE
        }
      val test = data.test().head(4)
      val maps = run.inputRelevance(integratedGradients(steps = 256), test, limit = 4)
      assertEquals(listOf(28, 28, 1), maps.shape())
      assertEquals(4 * 784, maps.relevance().size)
      val logits = run.session.logits(test, 4, false, 0)
      val zero = Dataset(FloatArray(784), intArrayOf(0), 784, 10)
      val atZero = run.session.logits(zero, 1, false, 0)
      for (e in 0 until 4) {
        val predicted = (0 until 10).maxBy { c -> logits[e * 10 + c] }
        val change = logits[e * 10 + predicted] - atZero[predicted]
        val sum = (0 until 784).sumOf { i -> maps.relevance()[e * 784 + i].toDouble() }
        assertEquals(change.toDouble(), sum, 0.01 * abs(change) + 1e-4, "example $e")
      }
      val byName = run.inputRelevance(gradientTimesInput, test, 2, target = run.classNames[3])
      val byIndex = run.inputRelevance(gradientTimesInput, test, 2, target = "3")
      assertArrayEquals(byIndex.relevance(), byName.relevance())
      // Each caption: the label's name, and the class explained after an arrow where it differs.
      val expected =
        (0 until 2).map { e ->
          val label = run.classNames[test.labels()[e]]
          "#${e + 1} $label" + if (test.labels()[e] == 3) "" else " → ${run.classNames[3]}"
        }
      assertEquals(expected, byName.captions())
      // Faithfulness: the random floor first, then the attribution; a cascade step per layer with
      // weights (conv, two Dense); every curve starts at the same unperturbed probability.
      val results = run.faithfulness(listOf(gradientTimesInput), data.test(), limit = 10, steps = 4)
      assertEquals(listOf("random", "gradient-x-input"), results.map { r -> r.attribution() })
      assertEquals(listOf(0, 3), results.map { r -> r.randomisation().size })
      val start = results[0].morf().probability()[0]
      for (r in results) {
        assertEquals(start, r.morf().probability()[0], 1e-9)
        assertEquals(start, r.lerf().probability()[0], 1e-9)
      }
      @Suppress("UNCHECKED_CAST")
      fun rows(plot: Plot, column: String) =
        (plot.toSpec()["data"] as Map<String, List<Any>>).getValue(column).size
      assertEquals(2 * 2 * 5, rows(Charts.faithfulness(results), "attribution"), "2 x 2 orders x 5")
      assertEquals(3, rows(Charts.randomisation(results), "attribution"), "random has no cascade")
      // Unit flipping: random removal (one curve for both orders), then each measure.
      val units =
        run.unitFlipping(
          listOf(activationMagnitude, internalInfluence(), gradCam()),
          data.test(),
          50,
        )
      assertEquals(
        listOf("random", "activation", "internal-influence", "grad-cam"),
        units.map { u -> u.measure() },
      )
      assertEquals(units[0].morf().toList(), units[0].lerf().toList())
      assertEquals(4 * 2 * 12, rows(Charts.unitFlipping(units), "measure"))
      assertThrows(IllegalArgumentException::class.java) { run.faithfulness(listOf(), test, 0) }
    }
  }
}
