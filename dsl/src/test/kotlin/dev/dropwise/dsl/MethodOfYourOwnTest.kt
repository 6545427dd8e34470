package dev.dropwise.dsl

import dev.dropwise.dropout.DropoutContext
import dev.dropwise.dropout.DropoutMethod
import dev.dropwise.dropout.DropoutMethods
import dev.dropwise.dropout.DropoutSpec
import dev.dropwise.dropout.Masked
import dev.dropwise.train.ProgressListener
import dev.dropwise.util.Registry
import dev.dropwise.util.Settings
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Test
import org.tensorflow.Operand
import org.tensorflow.types.TFloat32

/** Drops every n-th unit, always the same ones: simple enough to check exactly. */
data class EveryNth(val n: Int) : DropoutSpec {
  override fun name() = "every-nth"

  override fun settings(): Map<String, Any> = mapOf("n" to n)

  override fun apply(ctx: DropoutContext, x: Operand<TFloat32>): Masked {
    val width = x.shape().get(1).toInt()
    val drop = FloatArray(width) { if (it % n == 0) 1f else 0f }
    val kept = width - drop.count { it == 1f }
    val tf = ctx.tf()
    return DropoutSpec.gate(ctx, x, tf.constant(arrayOf(drop)), tf.constant(width.toFloat() / kept))
  }
}

/** Its text form, as a notebook cell would register it. */
class EveryNthMethod(private val summary: String = "drops every n-th unit") : DropoutMethod {
  override fun name() = "every-nth"

  override fun summary() = summary

  override fun parameters() = listOf(Registry.Parameter("n", "4", "drop units 0, n, 2n, ...; >= 2"))

  override fun create(settings: Settings): DropoutSpec = EveryNth(settings.integer("n", "4"))
}

class MethodOfYourOwnTest {
  @Test
  fun `a method registered from Kotlin trains through the DSL by its text`() {
    DropoutMethods.register(EveryNthMethod())
    assertEquals(EveryNth(8), DropoutSpec.parse("every-nth:n=8"))
    // Its text is written from its settings: a setting at its default is left out.
    assertEquals("every-nth:n=8", EveryNth(8).text())
    assertEquals("every-nth", EveryNth(4).text())
    val model =
      sequential(inputs = 784) {
        dense(32, activation = relu)
        dropout("every-nth:n=4")
        dense(10)
      }
    model.use {
      val run =
        it.train(fashionMnistEmbedded(), epochs = 1) {
          limit = 300
          progress = ProgressListener.NONE
        }
      assertEquals(
        listOf(0.25),
        run.history.epochs()[0].dropRates(),
        "units 0, 4, ..., 28: 8 of 32, every step",
      )
    }
    // Run the cell again: the method is replaced, not refused.
    DropoutMethods.register(EveryNthMethod("drops every n-th unit (again)"))
    assertEquals(
      "drops every n-th unit (again)",
      DropoutMethods.find("every-nth").orElseThrow().summary(),
    )
    val taken =
      assertThrows(IllegalArgumentException::class.java) {
        DropoutMethods.register(
          object : DropoutMethod by EveryNthMethod() {
            override fun name() = "standard"
          }
        )
      }
    assertEquals(
      "dropout method name 'standard' is taken by a built-in dropout method; choose another",
      taken.message,
    )
  }
}
