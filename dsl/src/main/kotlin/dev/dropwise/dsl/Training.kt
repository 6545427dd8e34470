package dev.dropwise.dsl

import dev.dropwise.analysis.Explainer
import dev.dropwise.analysis.ImportanceProfile
import dev.dropwise.analysis.InputExplainer
import dev.dropwise.analysis.Robustness
import dev.dropwise.data.ClassificationData
import dev.dropwise.data.Dataset
import dev.dropwise.data.Preprocessing
import dev.dropwise.dsl.jupyter.NotebookProgress
import dev.dropwise.importance.ImportanceSpec
import dev.dropwise.importance.InputSpace
import dev.dropwise.model.ModelSpec
import dev.dropwise.train.ConsoleProgress
import dev.dropwise.train.Evaluation
import dev.dropwise.train.History
import dev.dropwise.train.ModelSession
import dev.dropwise.train.MonteCarloLayers
import dev.dropwise.train.OptimizerSpec
import dev.dropwise.train.ProgressListener
import dev.dropwise.train.RunSeeds
import dev.dropwise.train.TrainConfig
import dev.dropwise.train.Trainer
import dev.dropwise.train.TrainingRun
import java.nio.file.Path

/** SGD, with heavy-ball momentum when [momentum] > 0; the learning rate the core's by default. */
fun sgd(
  lr: Double = TrainConfig.DEFAULT_LEARNING_RATE.toDouble(),
  momentum: Double = 0.0,
): OptimizerSpec =
  if (momentum == 0.0) OptimizerSpec.Sgd(lr.toFloat())
  else OptimizerSpec.Momentum(lr.toFloat(), momentum.toFloat())

/** Adam with the usual betas. */
fun adam(lr: Double = 0.001): OptimizerSpec = OptimizerSpec.Adam(lr.toFloat())

/**
 * Settings of one training; the defaults are the core's ([TrainConfig.defaults]: SGD with momentum
 * 0.9 at lr 0.01, seed 1, as the seeds train).
 */
@DropwiseDsl
class TrainingBuilder internal constructor() {
  var optimizer: OptimizerSpec = TrainConfig.defaults().optimizer()
  var seed: Long = TrainConfig.DEFAULT_SEED
  var validationFraction: Double = TrainConfig.DEFAULT_VALIDATION_FRACTION
  /** Early stopping after this many epochs without a lower validation loss; 0 = off. */
  var patience: Int = TrainConfig.defaults().patience()
  /** Train on the first [limit] training examples only. */
  var limit: Int? = null
  var checkpointDir: String? = null
  var resume: Boolean = false
  /** Where progress goes; by default live in a notebook, else the console. */
  var progress: ProgressListener? = null

  internal fun config(epochs: Int, batchSize: Int): TrainConfig =
    TrainConfig(
      epochs,
      batchSize,
      optimizer,
      RunSeeds.from(seed),
      patience,
      checkpointDir?.let { Path.of(it) },
      resume,
    )

  /** [data]'s training set ([limit]ed) split into train and validation by [config]'s seeds. */
  internal fun split(data: ClassificationData, config: TrainConfig): Dataset.Split {
    val train = limit?.let { data.train().head(it) } ?: data.train()
    return train.split(validationFraction, config.seeds().shuffle())
  }
}

/** Trains this model on [data] and keeps the result as its latest weights. */
fun Model.train(
  data: ClassificationData,
  epochs: Int = TrainConfig.DEFAULT_EPOCHS,
  batchSize: Int = TrainConfig.DEFAULT_BATCH_SIZE,
  block: TrainingBuilder.() -> Unit = {},
): Run {
  val settings = TrainingBuilder().apply(block)
  val config = settings.config(epochs, batchSize)
  val split = settings.split(data, config)
  val progress = settings.progress ?: defaultProgress(spec.dropoutText())
  val trained =
    Trainer.train(spec, startingWeights, split.train(), split.validation(), config, progress)
  val run = Run(this, trained, data)
  keep(run)
  return run
}

/**
 * The importance profile of the model [spec] with the weights [values] (by variable name) on the
 * first [limit] examples of [data].
 */
internal fun importanceProfile(
  spec: ModelSpec,
  values: (String) -> FloatArray?,
  measure: ImportanceSpec,
  data: Dataset,
  limit: Int,
): ImportanceProfile =
  Explainer.explanation(spec, values, measure, data.head(limit)).profile(spec.dropoutText())

internal fun defaultProgress(label: String): ProgressListener =
  NotebookProgress.forCurrentCell(label) ?: ConsoleProgress.create(System.out, label)

/** A finished training: history, test evaluation with dropout off, and the live model. */
class Run
internal constructor(val model: Model, private val trained: TrainingRun, data: ClassificationData) :
  AutoCloseable {
  val history: History = trained.history()
  val stoppedEarly: Boolean = trained.stoppedEarly()
  val test: Evaluation = trained.model().evaluate(data.test())
  /**
   * How the training data's raw inputs were scaled: an export applies the same to what it serves.
   */
  val preprocessing: Preprocessing = data.preprocessing()
  /** The classes' names, in label order. */
  val classNames: List<String> = data.classNames()
  /** The names of the classes held out of training ([data]'s `oodClasses`); empty if none. */
  val oodClasses: List<String> = data.heldOut()?.names() ?: emptyList()
  /** The shape of one training example: `[features]`, or `[height, width, channels]` for images. */
  val shape: List<Int> = data.shape()
  /** The input's bounds and baseline for input explanations, from the training data. */
  internal val inputSpace: InputSpace by lazy {
    InputExplainer.spaceOf(preprocessing, data.train())
  }
  /**
   * What an export's Monte Carlo passes sample in place of the dropout layers that cannot run as
   * they trained (a scheduled layer at its last rate, importance-guided dropout at each unit's rate
   * as training left it), measured on this run's training examples.
   */
  val monteCarloLayers: MonteCarloLayers by lazy { trained.monteCarloLayers() }

  /** The live Java session behind this run, for the core API (logits, weights, checkpoints). */
  val session: ModelSession
    get() = trained.model()

  /** Loss and accuracy on [data] with dropout off. */
  fun evaluate(data: Dataset): Evaluation = session.evaluate(data)

  /**
   * Per-unit (per-channel after a convolution or pooling) importance of every hidden layer on the
   * first [limit] examples of [data].
   */
  fun importance(measure: ImportanceSpec, data: Dataset, limit: Int = 1000): ImportanceProfile =
    importanceProfile(model.spec, session.variableValues()::get, measure, data, limit)

  /**
   * Y-Drop's Fig. 3: accuracy on the first [limit] examples of [data] while a growing fraction of
   * every hidden layer's units (channels, after a convolution or pooling) is removed at inference —
   * at random (mean ± std over [repeats] draws) and most important first, ranked by the mean of
   * [measure] on the first [limit] examples of [rankOn] (keep it apart from [data]).
   */
  fun robustness(
    measure: ImportanceSpec,
    rankOn: Dataset,
    data: Dataset,
    limit: Int = 1000,
    fractions: DoubleArray = Robustness.fractions(),
    repeats: Int = 10,
  ): List<Robustness.Point> {
    val values = session.variableValues()
    val ranking =
      Explainer.explanation(model.spec, { values[it] }, measure, rankOn.head(limit)).unitMeans()
    return Robustness.curve(
      model.spec,
      { values[it] },
      ranking,
      data.head(limit),
      fractions,
      repeats,
      1,
    )
  }

  override fun toString(): String =
    "Run(${model.spec.widths()}, dropout ${model.spec.dropoutText()}: test accuracy %.4f, loss %.4f, %d epochs)"
      .format(test.accuracy(), test.loss(), history.size())

  override fun close() = trained.close()
}
