package dev.dropwise.dsl

import dev.dropwise.analysis.RelevanceMaps
import java.nio.file.Path
import javax.imageio.ImageIO
import kotlin.math.abs
import org.jetbrains.letsPlot.intern.Plot
import org.jetbrains.letsPlot.intern.toSpec
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir

class RelevanceChartsTest {
  @TempDir lateinit var dir: Path

  @Suppress("UNCHECKED_CAST")
  private fun layerData(plot: Plot, layer: Int): Map<String, List<Any>> =
    ((plot.toSpec()["layers"] as List<Map<String, Any>>)[layer]["data"]) as Map<String, List<Any>>

  private fun Map<String, List<Any>>.numbers(name: String) =
    getValue(name).map { (it as Number).toDouble() }

  /**
   * Two 2 x 3 images: each map divided by its own largest |relevance| (the sign kept), each pixel
   * at its place with row 0 at the top, the input beside it as it was.
   */
  @Test
  fun `images are drawn beside their relevance, each scaled by its largest magnitude`() {
    val inputs = floatArrayOf(0f, 10f, 20f, 30f, 40f, 50f, 5f, 5f, 5f, 5f, 5f, 5f)
    val relevance = floatArrayOf(0.5f, -2f, 1f, 0f, 0f, 0f, 3f, 0f, 0f, 0f, 0f, -1.5f)
    val maps = RelevanceMaps("lrp", listOf(2, 3, 1), inputs, relevance, listOf("#1 a", "#2 b"))
    val plot = Charts.inputRelevance(maps)
    val input = layerData(plot, 0)
    val shown = layerData(plot, 1)
    assertEquals(inputs.map { it.toDouble() }, input.numbers("value"))
    val r = shown.numbers("relevance")
    assertEquals(listOf(0.25, -1.0, 0.5, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, -0.5), r)
    // Pixel 4 of an example (row 1, column 1) is drawn at x = 1, y = 2 - 1 - 1 = 0.
    assertEquals(1.0, shown.numbers("x")[4])
    assertEquals(0.0, shown.numbers("y")[4])
    assertEquals(List(6) { "#1 a" } + List(6) { "#2 b" }, shown.getValue("example"))
    Charts.save(plot, dir.resolve("maps.png"))
    assertEquals(
      2 * maxOf(150 * 2 + 180, 480),
      ImageIO.read(dir.resolve("maps.png").toFile()).width,
    )
    assertEquals(
      "examples=0 is not allowed: must be >= 1",
      assertThrows(IllegalArgumentException::class.java) {
          Charts.inputRelevance(maps, examples = 0)
        }
        .message,
    )
  }

  /** A table: the first example's relevance per feature, then the mean |relevance| of each. */
  @Test
  fun `a table shows one example's relevance and the mean magnitude over all`() {
    val relevance = floatArrayOf(1f, -2f, 0.5f, -3f, 0f, 0.5f, 2f, 1f, -1f)
    val maps =
      RelevanceMaps("gradient", listOf(3), FloatArray(9), relevance, listOf("#1", "#2", "#3"))
    @Suppress("UNCHECKED_CAST")
    val bars = Charts.inputRelevance(maps).toSpec()["data"] as Map<String, List<Any>>
    val values = bars.numbers("relevance")
    assertEquals(listOf(1.0, -2.0, 0.5), values.subList(0, 3))
    for (f in 0 until 3) {
      val mean = (0 until 3).sumOf { abs(relevance[it * 3 + f].toDouble()) } / 3
      assertEquals(mean, values[3 + f], 1e-9, "feature $f")
    }
    assertEquals(listOf("feature 0", "feature 1", "feature 2"), bars.getValue("feature").take(3))
  }
}
