package dev.dropwise.dsl

import dev.dropwise.data.Preprocessing
import dev.dropwise.export.ServingModel
import java.nio.file.Path
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir

/**
 * The DSL's data(...) on scikit-learn's wine table: a model on it, exported with its scaling,
 * serves raw features.
 */
class YourOwnDataDslTest {
  private val wine = "csv:/usr/lib/python3/dist-packages/sklearn/datasets/data/wine_data.csv"

  @Test
  fun `data reads a table, and an export of a model trained on it serves raw features`(
    @TempDir dir: Path
  ) {
    val table = data(wine, testFraction = 0.25, splitSeed = 3)
    assertEquals(listOf(13), table.shape())
    assertEquals(Preprocessing.Scale.STANDARDIZE, table.preprocessing().scale())
    assertEquals(
      45,
      table.test().size(),
      "a quarter of each class (59, 71, 48 rows): 15 + 18 + 12, rounded",
    )
    sequential(inputs = 13) {
        dense(16)
        dropout(standard(0.2))
        dense(3)
      }
      .use { model ->
        val run =
          model.train(table, epochs = 15) {
            seed = 1
            progress = dev.dropwise.train.ProgressListener.NONE
          }
        assertTrue(run.test.accuracy() > 0.85, "wine after 15 epochs: ${run.test.accuracy()}")
        model.exportSavedModel(dir.resolve("wine").toString())
        val raw = data(wine, testFraction = 0.25, splitSeed = 3, scale = "none")
        ServingModel.load(dir.resolve("wine")).use { serving ->
          assertEquals(listOf("0", "1", "2"), serving.classNames())
          val served = serving.predict(raw.test().features(), raw.test().size()).logits()
          val trained = run.session.logits(table.test(), table.test().size(), false, 0)
          for (i in served.indices) {
            assertEquals(trained[i], served[i], 1e-4f * maxOf(1f, Math.abs(trained[i])), "logit $i")
          }
        }
      }
  }
}
