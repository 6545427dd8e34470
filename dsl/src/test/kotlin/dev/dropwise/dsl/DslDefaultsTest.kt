package dev.dropwise.dsl

import dev.dropwise.dropout.DropoutMethods
import dev.dropwise.dropout.DropoutSpec
import dev.dropwise.dropout.PfidDropout
import dev.dropwise.dropout.StandardDropout
import dev.dropwise.importance.ImportanceSpec
import dev.dropwise.model.Architecture
import dev.dropwise.model.LayerSpec
import dev.dropwise.network.Activation
import dev.dropwise.network.Initializer
import dev.dropwise.schedule.RateSchedules
import dev.dropwise.train.ProgressListener
import dev.dropwise.train.TrainConfig
import dev.dropwise.train.Trainer
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Test

/**
 * The DSL states no default of its own: what a call leaves out is what the core's registry and
 * [TrainConfig.defaults] say, for every built-in method and schedule and every training setting.
 */
class DslDefaultsTest {
  /** Each DSL call with its arguments left out, against the command line's text for it. */
  private val methods: List<Pair<String, DropoutSpec>> =
    listOf(
      "none" to none,
      "standard" to standard(),
      "sector" to sectorWise(),
      "lrp" to lrpGuided(),
      "lrp-official" to lrpOfficial(),
      "ydrop" to yDrop(),
      "pfid" to pfid(),
      "pfid-paper" to pfidPaper(),
      "alpha" to alphaDropout(),
      "gaussian" to gaussian(),
      "concrete" to concrete(),
      "dropconnect" to dropConnect(),
      "spatial" to spatial(),
      "dropblock" to dropBlock(),
      "spatially-aware" to spatiallyAware(),
      "scheduled" to scheduled(adaptive()),
    )

  private val schedules =
    listOf(
      "constant" to constantRate(),
      "adaptive" to adaptive(),
      "dynamic-alpha" to dynamicAlpha(),
      "contextual" to contextual(),
      "annealed" to annealed(),
      "curriculum" to curriculum(),
      "integrated" to integrated(),
    )

  @Test
  fun `every built-in method's DSL defaults are the registry's`() {
    methods.forEach { (text, dsl) -> assertEquals(DropoutSpec.parse(text), dsl, text) }
    assertEquals(
      DropoutMethods.builtIns().map { it.name() }.toSet(),
      methods.map { it.first }.toSet(),
      "every built-in method is covered",
    )
  }

  @Test
  fun `every built-in schedule's DSL defaults are the registry's`() {
    schedules.forEach { (name, dsl) ->
      assertEquals(DropoutSpec.parse("scheduled:schedule=$name"), StandardDropout(dsl), name)
      assertEquals(DropoutSpec.parse("standard:p=$name"), standard(dsl), name)
      assertEquals(DropoutSpec.parse("sector:p=$name"), sectorWise(rate = dsl), name)
      assertEquals(DropoutSpec.parse("dropblock:p=$name"), dropBlock(rate = dsl), name)
      assertEquals(DropoutSpec.parse("gaussian:p=$name"), gaussian(dsl), name)
      assertEquals(RateSchedules.defaults(name), dsl, name)
    }
    assertEquals(
      RateSchedules.builtIns().map { it.name() }.toSet(),
      schedules.map { it.first }.toSet(),
      "every built-in schedule is covered",
    )
  }

  @Test
  fun `every built-in measure's DSL defaults are the registry's`() {
    assertEquals(ImportanceSpec.parse("lrp-eps"), lrp())
    assertEquals(ImportanceSpec.parse("lrp-zplus"), lrp(lrpZPlus))
    assertEquals(ImportanceSpec.parse("lrp-alpha1beta0"), lrp(lrpAlphaBeta()))
    assertEquals(ImportanceSpec.parse("lrp-gamma"), lrp(lrpGamma()))
    assertEquals(ImportanceSpec.parse("gradient"), gradient())
    assertEquals(ImportanceSpec.parse("gradient-x-activation"), gradientTimesActivation())
    assertEquals(ImportanceSpec.parse("conductance"), conductance())
    assertEquals(ImportanceSpec.parse("activation"), activationMagnitude)
  }

  @Test
  fun `settings given in the DSL mean what the same text means`() {
    assertEquals(DropoutSpec.parse("ydrop:alpha=0.001,K=3"), yDrop(alpha = 1e-3, annealEpochs = 3))
    assertEquals(
      DropoutSpec.parse("lrp:p=0.3,rule=zplus,select=top"),
      lrpGuided(p = 0.3, rule = lrpZPlus, select = Selection.TOP),
    )
    assertEquals(
      DropoutSpec.parse("pfid:importance=lrp-eps,update=epoch"),
      pfid(importance = lrp(), perEpoch = true),
    )
    assertEquals(DropoutSpec.parse("ydrop:importance=lrp-eps"), yDrop(importance = lrp()))
    assertEquals(
      DropoutSpec.parse("ydrop:nc=3,path=factored"),
      yDrop(steps = 3, factoredPath = true),
    )
    assertEquals(
      DropoutSpec.parse("lrp:importance=conductance,steps=3"),
      lrpGuided(importance = conductance(steps = 3)),
    )
    assertEquals(
      DropoutSpec.parse("scheduled:schedule=adaptive,reading=written"),
      scheduled(adaptive(asWritten = true)),
    )
    assertEquals(
      DropoutSpec.parse("pfid:form=compounded"),
      pfid(form = PfidDropout.Form.COMPOUNDED),
    )
    assertEquals(DropoutSpec.parse("dropblock:block=5,ramp=0.5"), dropBlock(block = 5, ramp = 0.5))
  }

  @Test
  fun `a training with nothing set is the core's default training`() {
    val data = fashionMnistEmbedded()
    val model =
      sequential(inputs = 784) {
        dense(16)
        dropout(standard())
        dense(10)
      }
    // Loss for loss the same only if epochs, batch size, optimiser, seed, validation share and
    // patience all agree.
    val run =
      model.train(data) {
        limit = 300
        progress = ProgressListener.NONE
      }
    val defaults = TrainConfig.defaults()
    val split =
      data
        .train()
        .head(300)
        .split(TrainConfig.DEFAULT_VALIDATION_FRACTION, defaults.seeds().shuffle())
    Trainer.train(model.spec, split.train(), split.validation(), defaults, ProgressListener.NONE)
      .use { core ->
        assertEquals(TrainConfig.DEFAULT_EPOCHS, run.history.size())
        assertEquals(
          core.history().epochs().map { it.trainLoss() to it.validationLoss() },
          run.history.epochs().map { it.trainLoss() to it.validationLoss() },
        )
      }
    model.close()
  }

  @Test
  fun `a comparison with nothing set trains as the core does`() {
    val comparison = ComparisonBuilder()
    val defaults = TrainConfig.defaults()
    assertEquals(defaults.epochs(), comparison.epochs)
    assertEquals(defaults.batchSize(), comparison.batchSize)
    assertEquals(defaults.optimizer(), comparison.optimizer)
    assertEquals(defaults.patience(), comparison.patience)
    assertEquals(TrainConfig.DEFAULT_VALIDATION_FRACTION, comparison.validationFraction)
    assertEquals(listOf(TrainConfig.DEFAULT_SEED), comparison.seeds)
    assertEquals(listOf(Architecture.parse(Architecture.DEFAULT_LAYERS)), comparison.architectures)
    assertEquals(Activation.parse(LayerSpec.HIDDEN_ACTIVATION), comparison.activation)
    assertEquals(Initializer.parse(LayerSpec.HIDDEN_INITIALIZER), comparison.init)
    assertEquals(defaults.optimizer(), sgd(momentum = 0.9))
  }

  @Test
  fun `batch norm with nothing set is the command line's bn`() {
    val model =
      sequential(inputs = 4) {
        dense(8)
        batchNorm()
        dense(2)
      }
    assertEquals(LayerSpec.parse("bn"), model.spec.layers()[1])
    model.close()
  }
}
