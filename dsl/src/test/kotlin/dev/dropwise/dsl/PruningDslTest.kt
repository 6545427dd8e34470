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

  @Test
  fun `prune ranks and fine-tunes on the examples dropwise prune takes, to the same model`() {
    val data = fashionMnistEmbedded()
    sequential(inputs = 784) {
        dense(24)
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
        val viaDsl = dir.resolve("dsl").toString()
        val result =
          prune(
            export,
            data,
            keep = listOf(0.5),
            out = viaDsl,
            examples = 200,
            steps = 2,
            fineTuneEpochs = 1,
          ) {
            limit = 600
            seed = 4
            progress = ProgressListener.NONE
          }
        assertEquals("784-12-10", result.after().widths())
        // The live model pruned alike: the same ranking on the same examples, the same network.
        val live =
          model.prune(
            data,
            keep = listOf(0.5),
            out = dir.resolve("live").toString(),
            examples = 200,
          ) {
            limit = 600
            seed = 4
          }
        assertEquals("784-12-10", live.after().widths())
        val once =
          prune(export, data, listOf(0.5), dir.resolve("once").toString(), examples = 200) {
            limit = 600
            seed = 4
          }
        assertEquals(once.kept().map { it.toList() }, live.kept().map { it.toList() })
        val viaCli = dir.resolve("cli").toString()
        val code =
          dev.dropwise.cli.Dropwise.run(
            "prune",
            "--model",
            export,
            "--data",
            "embedded",
            "--keep",
            "0.5",
            "--examples",
            "200",
            "--steps",
            "2",
            "--fine-tune-epochs",
            "1",
            "--limit",
            "600",
            "--seed",
            "4",
            "--out",
            viaCli,
          )
        assertEquals(0, code)
        ServingModel.load(Path.of(viaDsl)).use { a ->
          ServingModel.load(Path.of(viaCli)).use { b ->
            for (name in listOf("dense_0_kernel", "dense_0_bias", "dense_1_kernel")) {
              assertTrue(a.variable(name).contentEquals(b.variable(name)), name)
            }
          }
        }
      }
  }

  @Test
  fun `pruningSweep measures the original and each pruned copy, and refuses a folder of yours`() {
    val data = fashionMnistEmbedded()
    sequential(inputs = 784) {
        dense(16)
        dropout(standard(0.3))
        dense(10)
      }
      .use { model ->
        model.train(data, epochs = 1) {
          limit = 300
          progress = ProgressListener.NONE
        }
        val export = dir.resolve("model").toString()
        model.exportSavedModel(export)
        val out = dir.resolve("sweep")
        val points =
          pruningSweep(export, data, listOf(0.5, 0.25), out.toString(), by = listOf("random"))
        assertEquals(
          listOf("784-16-10", "784-8-10", "784-4-10"),
          points.map { it.network().widths() },
        )
        assertEquals(listOf(1.0, 0.5, 0.25), points.map { it.keep() })
        for (p in points.drop(1)) {
          ServingModel.load(p.model()).use { m ->
            val test = data.unscaledTest()
            val served = dev.dropwise.analysis.Predictions.served(m, test).accuracy()
            assertEquals(served, p.accuracy(), "${p.model()}")
          }
        }
        val mine = dir.resolve("mine")
        java.nio.file.Files.createDirectories(mine)
        java.nio.file.Files.writeString(mine.resolve("notes.txt"), "mine")
        val refused =
          org.junit.jupiter.api.assertThrows<IllegalArgumentException> {
            pruningSweep(export, data, listOf(0.5), mine.toString(), by = listOf("random"))
          }
        assertTrue(refused.message!!.contains("notes.txt"), refused.message)
        assertEquals(listOf("notes.txt"), mine.toFile().list()!!.toList())
      }
  }
}
