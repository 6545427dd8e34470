package dev.dropwise.dsl

import dev.dropwise.export.ServingModel
import dev.dropwise.train.ProgressListener
import java.nio.file.Path
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir

class PruningDslTest {
  @TempDir lateinit var dir: Path

  @Test
  fun `prune keeps the share asked of each layer and writes a model that serves`() {
    val data = fashionMnistEmbedded()
    sequential(inputs = 784) {
        dense(32)
        dropout(standard(0.3))
        dense(16)
        dropout(standard(0.3))
        dense(10)
      }
      .use { model ->
        model.train(data, epochs = 1) {
          limit = 600
          progress = ProgressListener.NONE
        }
        val export = dir.resolve("model").toString()
        model.exportSavedModel(export)
        val out = dir.resolve("pruned").toString()
        val result =
          prune(export, data, keep = listOf(0.5, 0.25), out = out, by = "lrp-eps", examples = 100)
        assertEquals("784-32-16-10", result.before().widths())
        assertEquals("784-16-4-10", result.after().widths())
        assertEquals(listOf(16, 4), result.kept().map { it.size })
        assertTrue(
          result.kept().all { k -> k.toList() == k.sorted() && k.distinct().size == k.size }
        )
        ServingModel.load(Path.of(out)).use { pruned ->
          val test = data.unscaledTest().head(50)
          val p = pruned.predict(test.features(), test.size())
          assertEquals(50 * 10, p.probabilities().size)
          assertTrue(pruned.hasMonteCarlo(), "standard dropout keeps its mc_dropout signature")
        }
      }
  }
}
