package dev.dropwise.dsl

import dev.dropwise.analysis.Explainer
import dev.dropwise.train.ProgressListener
import org.jetbrains.letsPlot.intern.toSpec
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

class RecurrentDslTest {
  /** The DSL's recurrent layers are the core's, their text the command line's. */
  @Test
  fun `lstm and gru build the core's layers with their dropout inside`() {
    val model =
      sequential(sequence = sequence(28, 28)) {
        gru(8, returnSequences = true, zoneout = 0.1)
        lstm(16, input = standard(0.2), state = yDrop())
        dropout(standard(0.3))
        dense(10)
      }
    assertEquals(
      "gru(units=8,return=seq,zoneout=0.1),lstm(units=16,input=standard(p=0.2),state=ydrop)," +
        "dense(units=10,activation=linear,init=glorot-uniform)",
      model.spec.networkText(),
    )
    assertEquals(
      "28x28-gru8seq(zoneout=0.1)-lstm16(input=standard(p=0.2),state=ydrop)-10",
      model.spec.widths(),
    )
    val rows = model.summary()
    assertEquals("GRU(8, sequences)", rows[0].kind)
    assertEquals("zoneout=0.1", rows[0].dropout)
    assertEquals("input=standard(p=0.2),state=ydrop", rows[1].dropout)
    // Keras's counts: GRU 3·(28·8 + 8·8 + 2·8), LSTM 4·((8 + 16)·16 + 16).
    assertEquals(912L, model.spec.parameters(0))
    assertEquals(1600L, model.spec.parameters(1))
    val refused =
      assertThrows(IllegalArgumentException::class.java) {
        sequential(sequence = sequence(28, 28)) {
          lstm(8, input = yDrop())
          dense(10)
        }
      }
    assertTrue(refused.message!!.contains("input=ydrop cannot run inside a recurrent layer"))
    val wrongShape =
      assertThrows(IllegalArgumentException::class.java) {
        sequential(sequence = image(28, 28, 1)) { dense(10) }
      }
    assertEquals("sequence = 28x28x1 is not a sequence: use sequence(T, F)", wrongShape.message)
  }

  /** An LSTM with variational dropout trains through the DSL, on the images read row by row. */
  @Test
  fun `an lstm trains on fashion-mnist read row by row`() {
    val model =
      sequential(sequence = sequence(28, 28)) {
        lstm(16, input = standard(0.25), state = standard(0.25))
        dense(10)
      }
    model.use {
      val run =
        it.train(fashionMnistEmbedded(), epochs = 2) {
          limit = 600
          seed = 1
          optimizer = adam(lr = 0.01)
          progress = ProgressListener.NONE
        }
      val losses = run.history.epochs().map { e -> e.trainLoss() }
      assertTrue(losses[1] < losses[0], "it learns: $losses")
      // Importance over time: |gradient| at each step, whose sum over the steps is the units' own.
      val test = fashionMnistEmbedded().test()
      val overTime = run.importanceOverTime(gradient(), test, limit = 20)
      assertEquals(1, overTime.size, "one recurrent layer")
      val layer = overTime[0]
      assertEquals(28, layer.steps)
      assertEquals(16, layer.units)
      val totals =
        Explainer.explain(model.spec, run.session.variableValues()::get, gradient(), test.head(20))[
            0]
      for (u in 0 until 16) {
        val expected = (0 until 20).sumOf { n -> totals[n * 16 + u].toDouble() } / 20
        val summed = (0 until 28).sumOf { t -> layer.meanAbs[t * 16 + u] }
        assertEquals(expected, summed, 1e-5 * (1 + expected), "unit $u summed over time")
      }
      assertEquals(1.0, layer.perStep().sum(), 1e-9)
      val plot = Charts.importanceOverTime(layer)
      assertEquals(
        28 * 16,
        (plot.toSpec()["data"] as Map<*, *>).values.first().let { (it as List<*>).size },
      )
    }
  }
}
