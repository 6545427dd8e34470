package dev.dropwise.dsl

import dev.dropwise.dropout.DropoutSpec
import dev.dropwise.model.Architecture
import dev.dropwise.model.ModelSpec
import dev.dropwise.network.Activation
import dev.dropwise.network.FeatureShape
import dev.dropwise.network.Initializer
import dev.dropwise.train.ModelSession
import dev.dropwise.train.OptimizerSpec
import dev.dropwise.train.ProgressListener
import dev.dropwise.train.RunSeeds
import dev.dropwise.train.TrainConfig
import dev.dropwise.train.Trainer
import org.junit.jupiter.api.Assertions.assertArrayEquals
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

class DslModelTest {
  private val data = fashionMnistEmbedded()

  private fun dslModel() =
    sequential(inputs = 784) {
      dense(64, activation = relu, init = heUniform)
      dropout(sectorWise(n = 8, p = 0.5))
      dense(32, activation = relu, init = heUniform)
      dropout(sectorWise(n = 8, p = 0.5))
      dense(10)
    }

  private val javaSpec =
    ModelSpec.mlp(
      784,
      listOf(64, 32),
      Activation.RELU,
      Initializer.HE_UNIFORM,
      DropoutSpec.parse("sector:n=8,p=0.5"),
      10,
    )

  @Test
  fun `a DSL model is the Java model - same spec, same graph, same outputs for a seed`() {
    val model = dslModel()
    assertEquals(javaSpec, model.spec)
    val momentum = OptimizerSpec.Momentum(0.01f, 0.9f)
    ModelSession(model.spec, momentum, RunSeeds.from(3)).use { dsl ->
      ModelSession(javaSpec, momentum, RunSeeds.from(3)).use { java ->
        // Compared as messages: TF serialises attribute maps in no fixed order.
        assertEquals(java.graphDef(), dsl.graphDef(), "the two training graphs are identical")
      }
    }
    val run =
      model.train(data, epochs = 2, batchSize = 64) {
        optimizer = sgd(lr = 0.01, momentum = 0.9)
        seed = 3
        limit = 1000
        progress = ProgressListener.NONE
      }
    val split = data.train().head(1000).split(0.1, RunSeeds.from(3).shuffle())
    val config = TrainConfig.defaults().withEpochs(2).withSeeds(RunSeeds.from(3))
    Trainer.train(javaSpec, split.train(), split.validation(), config, ProgressListener.NONE).use {
      java ->
      assertEquals(
        java.history().epochs().map { it.trainLoss() },
        run.history.epochs().map { it.trainLoss() },
      )
      java.model().weights().zip(run.session.weights()).forEachIndexed { i, (a, b) ->
        assertArrayEquals(a, b, "variable $i")
      }
      assertEquals(java.model().evaluate(data.test()).accuracy(), run.test.accuracy())
    }
    model.close()
  }

  @Test
  fun `invalid values are refused where they are written, with the core's messages`() {
    assertTrue(
      assertThrows(IllegalArgumentException::class.java) { sectorWise(n = 1) }
        .message!!
        .contains("n=1")
    )
    assertTrue(
      assertThrows(IllegalArgumentException::class.java) { standard(p = 1.5) }
        .message!!
        .contains("[0, 1)")
    )
    assertTrue(
      assertThrows(IllegalArgumentException::class.java) { yDrop(alpha = 2.0) }
        .message!!
        .contains("alpha=2.0")
    )
    val e =
      assertThrows(IllegalArgumentException::class.java) {
        sequential(inputs = 784) {
          dense(16)
          dropout(sectorWise(n = 32))
          dense(10)
        }
      }
    assertTrue(e.message!!.contains("wider than the layer (16 units)"), e.message)
    assertTrue(
      assertThrows(IllegalStateException::class.java) { dslModel().exportSavedModel("x") }
        .message!!
        .contains("not been trained")
    )
  }

  @Test
  fun `summary lists layers with their parameters`() {
    val rows = dslModel().summary()
    assertEquals(
      listOf("dense_0", "dropout_0", "dense_1", "dropout_1", "dense_2"),
      rows.map { it.name },
      "the one naming scheme: the variables are dense_0_kernel, ...",
    )
    dslModel().use { model ->
      model.train(data, epochs = 1) {
        limit = 200
        progress = ProgressListener.NONE
      }
      assertEquals(
        listOf(
          "dense_0_kernel",
          "dense_0_bias",
          "dense_1_kernel",
          "dense_1_bias",
          "dense_2_kernel",
          "dense_2_bias",
        ),
        model.run.session.variableValues().keys.toList(),
      )
    }
    assertEquals(784L * 64 + 64, rows[0].parameters)
    assertEquals("sector:n=8,p=0.5", rows[1].dropout)
    assertEquals("64", rows[1].output)
  }

  @Test
  fun `a CNN is written as it reads and checked where it is built`() {
    val cnn =
      sequential(image = image(28, 28)) {
        conv2d(8, 3, activation = relu)
        batchNorm()
        maxPool(2)
        dropout(dropBlock(block = 3))
        conv2d(16, 3, activation = relu)
        maxPool(2)
        dropout(lrpGuided())
        dense(32, activation = relu)
        dense(10)
      }
    val rows = cnn.summary()
    assertEquals(
      listOf(
        "conv_0",
        "batch_norm_0",
        "pool_0",
        "dropout_0",
        "conv_1",
        "pool_1",
        "dropout_1",
        "flatten_0",
        "dense_0",
        "dense_1",
      ),
      rows.map { it.name },
      "a Flatten goes in before the first Dense layer",
    )
    assertEquals(
      listOf(
        "28x28x8",
        "28x28x8",
        "14x14x8",
        "14x14x8",
        "14x14x16",
        "7x7x16",
        "7x7x16",
        "784",
        "32",
        "10",
      ),
      rows.map { it.output },
    )
    assertEquals(3L * 3 * 1 * 8 + 8, rows[0].parameters)
    assertEquals(2L * 8, rows[1].parameters)
    assertEquals(7L * 7 * 16 * 32 + 32, rows[8].parameters)
    val e =
      assertThrows(IllegalArgumentException::class.java) {
        sequential(image = image(6, 6)) {
          conv2d(4, 3)
          maxPool(2)
          dropout(dropBlock(block = 5))
          dense(10)
        }
      }
    assertTrue(e.message!!.contains("block=5"), e.message)
  }

  @Test
  fun `a run returned earlier stays usable after the next training`() {
    dslModel().use { model ->
      val first =
        model.train(data, epochs = 1) {
          limit = 300
          seed = 1
          progress = ProgressListener.NONE
        }
      val firstAccuracy = first.evaluate(data.test().head(200)).accuracy()
      val second =
        model.train(data, epochs = 1) {
          limit = 300
          seed = 2
          progress = ProgressListener.NONE
        }
      assertEquals(second, model.run, "the latest training is the model's run")
      assertEquals(
        firstAccuracy,
        first.evaluate(data.test().head(200)).accuracy(),
        "the first run's weights are still there",
      )
      assertTrue(
        first.session.weights()[0].toList() != second.session.weights()[0].toList(),
        "two seeds, two models",
      )
    }
  }

  @Test
  fun `dense layers default as the command line's layers do`() {
    val dsl =
      sequential(inputs = 784) {
        dense(64)
        dropout(standard())
        dense(32, init = heNormal)
        dense(10)
      }
    val cli =
      Architecture.parse("64,32")
        .build(
          FeatureShape.flat(784),
          10,
          Activation.RELU,
          Initializer.HE_UNIFORM,
          standard(),
          none,
        )
    assertEquals(
      listOf(relu, relu, linear),
      dsl.spec.denseLayers().map { it.activation() },
      "hidden relu, logits linear",
    )
    assertEquals(
      listOf(heUniform, heNormal, glorotUniform),
      dsl.spec.denseLayers().map { it.initializer() },
    )
    assertEquals(
      cli.denseLayers().map { it.activation() },
      dsl.spec.denseLayers().map { it.activation() },
    )
    val relued =
      sequential(inputs = 784) {
        dense(64)
        dense(10, activation = tanh)
      }
    assertEquals(
      listOf(tanh, glorotUniform),
      relued.spec.denseLayers().last().let { listOf(it.activation(), it.initializer()) },
      "what is given stays; only what is left out takes the output layer's defaults",
    )
  }
}
