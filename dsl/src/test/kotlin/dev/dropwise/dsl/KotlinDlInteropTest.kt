package dev.dropwise.dsl

import dev.dropwise.train.ProgressListener
import java.nio.file.Path
import org.junit.jupiter.api.Assertions.assertArrayEquals
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir

/**
 * importKotlinDl and loadModel: a KotlinDL model explained, trained on with Y-Drop, exported and
 * loaded again.
 */
class KotlinDlInteropTest {
  /**
   * An MLP KotlinDL 0.4.0 trained and saved (see the core's KotlinDlModelTest for how it was made).
   */
  private val saved = "../tensorflow-ops/src/test/resources/dev/dropwise/interop/kotlindl/mlp"

  @Test
  fun `an imported model is explained, trained on with another dropout, exported and loaded again`(
    @TempDir dir: Path
  ) {
    val data = fashionMnistEmbedded()
    val imported = importKotlinDl(saved)
    assertEquals(
      "standard:p=0.5",
      imported.spec.dropoutText(),
      "KotlinDL's Dropout(0.5), now a working one",
    )
    val profile = imported.importance(lrp(), data.test(), limit = 100)
    assertEquals(1, profile.sorted().size)
    assertEquals(32, profile.sorted()[0].size, "one mean relevance per hidden unit")
    assertTrue(
      profile.sorted()[0].all { it.isFinite() && it >= 0 } && profile.sorted()[0].sum() > 0
    )

    imported.withDropout(yDrop()).use { model ->
      assertEquals("ydrop", model.spec.dropoutText())
      val run =
        model.train(data, epochs = 1) {
          limit = 500
          progress = ProgressListener.NONE
        }
      val trained = run.session.variableValues()
      assertFalse(
        trained
          .getValue("dense_0_kernel")
          .contentEquals(imported.startingWeights!!.values().getValue("dense_0_kernel")),
        "training moved the imported weights",
      )
      model.exportSavedModel(dir.resolve("model").toString())
      loadModel(dir.resolve("model").toString()).use { loaded ->
        assertEquals(model.spec, loaded.spec, "the export keeps the training's dropout")
        trained.forEach { (name, value) ->
          assertArrayEquals(value, loaded.startingWeights!!.values()[name], name)
        }
      }
    }
  }
}
