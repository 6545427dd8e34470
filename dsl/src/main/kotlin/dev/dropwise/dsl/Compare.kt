package dev.dropwise.dsl

import dev.dropwise.data.ClassificationData
import dev.dropwise.dropout.DropoutSpec
import dev.dropwise.experiments.Comparison
import dev.dropwise.experiments.PairedDifference
import dev.dropwise.experiments.RunExecutor
import dev.dropwise.model.Architecture
import dev.dropwise.model.LayerSpec
import dev.dropwise.network.Activation
import dev.dropwise.network.Initializer
import dev.dropwise.report.SummaryTables
import dev.dropwise.train.OptimizerSpec
import dev.dropwise.train.TrainConfig
import java.nio.file.Path

/** Methods × seeds × architectures; see [compare]. */
@DropwiseDsl
class ComparisonBuilder internal constructor() {
  internal val methods = mutableListOf<DropoutSpec>()
  internal var seeds: List<Long> = listOf(TrainConfig.DEFAULT_SEED)
  internal var architectures: List<Architecture> =
    listOf(Architecture.parse(Architecture.DEFAULT_LAYERS))
  /**
   * Keep finished runs here: a second `compare` with the same settings loads them instead of
   * training.
   */
  var runsDir: String? = null
  var activation: Activation = Activation.parse(LayerSpec.HIDDEN_ACTIVATION)
  var init: Initializer = Initializer.parse(LayerSpec.HIDDEN_INITIALIZER)
  var epochs: Int = TrainConfig.DEFAULT_EPOCHS
  var batchSize: Int = TrainConfig.DEFAULT_BATCH_SIZE
  var optimizer: OptimizerSpec = TrainConfig.defaults().optimizer()
  var validationFraction: Double = TrainConfig.DEFAULT_VALIDATION_FRACTION
  var patience: Int = TrainConfig.defaults().patience()
  var limit: Int? = null

  fun methods(vararg methods: DropoutSpec) {
    this.methods += methods
  }

  fun seeds(seeds: Iterable<Int>) {
    this.seeds = seeds.map { it.toLong() }
  }

  fun seeds(vararg seeds: Int) = seeds(seeds.asIterable())

  /** Hidden Dense widths: `layers(256, 256)`. */
  fun layers(vararg units: Int) = layers(units.joinToString(","))

  /**
   * Hidden layers as the command line's `--layers` writes them:
   * `layers("conv:32x3,pool:2,dense:256")`. Structured methods (spatial, dropBlock, spatiallyAware)
   * go after each convolutional block, the others after each hidden Dense layer.
   */
  fun layers(text: String) {
    architectures = listOf(Architecture.parse(text))
  }

  /**
   * Compare on several architectures, e.g. `architectures(listOf(1024, 1024), listOf(2048, 2048,
   * 2048))`.
   */
  fun architectures(vararg widths: List<Int>) {
    architectures = widths.map { Architecture.parse(it.joinToString(",")) }
  }

  /** Compare on several architectures written as `--layers` text. */
  fun architectures(vararg texts: String) {
    architectures = texts.map { Architecture.parse(it) }
  }

  internal var builder: ((DropoutSpec) -> Model)? = null
  internal var executor: RunExecutor = RunExecutor.LOCAL

  /**
   * Where the runs train: here, one after another (the default), or on a cluster, e.g.
   * `cluster(spark("local[2]"))` with the dropwise-spark module (`import
   * dev.dropwise.spark.Spark.spark`). The data must come from a source every node can read
   * (`data(...)`, `fashionMnist()`).
   */
  fun cluster(executor: RunExecutor) {
    this.executor = executor
  }

  /**
   * The network each method is trained in, written as any model is: `model { method ->
   * sequential(inputs = 784) { dense(256); dropout(method); dense(10) } }`; instead of [layers] and
   * [architectures].
   */
  fun model(builder: (DropoutSpec) -> Model) {
    this.builder = builder
  }
}

/**
 * `compare(fashionMnist()) { methods(standard(0.5), sectorWise()); seeds(1..3) }`: mean ± std of
 * test accuracy per method.
 */
fun compare(data: ClassificationData, block: ComparisonBuilder.() -> Unit): ComparisonResult {
  val b = ComparisonBuilder().apply(block)
  require(b.methods.isNotEmpty()) {
    "compare needs at least one method: methods(standard(0.5), ...)"
  }
  val entries =
    b.builder?.let { build ->
      b.methods.map { m -> Comparison.Entry(m, build(m).use { model -> model.spec }) }
    }
      ?: b.architectures.flatMap { architecture ->
        b.methods.map { m ->
          val input = architecture.input(data)
          Comparison.Entry(
            m,
            architecture.build(input, data.train().classCount(), b.activation, b.init, m, none),
          )
        }
      }
  val specs = Comparison.labelled(entries)
  val config =
    TrainConfig.defaults()
      .withEpochs(b.epochs)
      .withBatchSize(b.batchSize)
      .withOptimizer(b.optimizer)
      .withPatience(b.patience)
  val runs =
    Comparison.run(
      data,
      specs,
      b.seeds,
      config,
      b.validationFraction,
      b.limit,
      { method, seed -> defaultProgress("$method seed $seed") },
      b.runsDir?.let { Path.of(it) },
      System.out,
      b.executor,
    )
  return ComparisonResult(
    Comparison.title(specs, config, b.seeds),
    runs,
    Comparison.summarize(runs),
  )
}

/** What [compare] found: every run, and per method the mean ± std. */
class ComparisonResult(
  val title: String,
  val runs: List<Comparison.Run>,
  val summaries: List<Comparison.Summary>,
) {
  /** The same table the command line prints. */
  fun table(): String = SummaryTables.table(summaries)

  /**
   * [method] against [baseline], paired by seed, with a paired t-test. The labels are the table's
   * method column: a method's text, with ` @ 784-1024-1024-10` when the comparison spans
   * architectures.
   */
  fun paired(method: String, baseline: String): PairedDifference {
    val byMethod = Comparison.byMethod(runs)
    fun runsOf(label: String) =
      requireNotNull(byMethod[label]) {
        "method '$label' is not in this comparison; it has: ${byMethod.keys.joinToString(", ")}"
      }
    return PairedDifference.of(runsOf(method), runsOf(baseline))
  }

  /** The same for a comparison on one architecture: `paired(yDrop(), standard(0.5))`. */
  fun paired(method: DropoutSpec, baseline: DropoutSpec): PairedDifference =
    paired(method.text(), baseline.text())

  override fun toString(): String = "$title\n${table()}"
}
