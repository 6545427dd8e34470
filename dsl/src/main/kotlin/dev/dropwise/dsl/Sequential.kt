package dev.dropwise.dsl

import dev.dropwise.data.ClassificationData
import dev.dropwise.data.Dataset
import dev.dropwise.data.Preprocessing
import dev.dropwise.dropout.DropoutSpec
import dev.dropwise.dropout.NoDropout
import dev.dropwise.export.SavedModelExport
import dev.dropwise.model.Architecture
import dev.dropwise.model.LayerSpec
import dev.dropwise.model.ModelSpec
import dev.dropwise.model.RecurrentDropout
import dev.dropwise.model.StartingWeights
import dev.dropwise.network.Activation
import dev.dropwise.network.FeatureShape
import dev.dropwise.network.Initializer
import dev.dropwise.network.RecurrentCell
import java.nio.file.Path

/**
 * Builds a sequential model over a flat input, an image or a sequence: Dense, Conv2D, LSTM, GRU,
 * MaxPool, BatchNorm, Flatten and Dropout layers, the last Dense layer giving the logits.
 */
@DropwiseDsl
class SequentialBuilder internal constructor(private val input: FeatureShape) {
  private val layers = mutableListOf<LayerSpec>()

  /**
   * What each Dense layer was given (null: left to the defaults), settled in [build] once the last
   * one is known.
   */
  private val given = mutableMapOf<Int, Pair<Activation?, Initializer?>>()

  /**
   * A fully connected layer (a feature map before it is flattened). Unless told otherwise, the
   * command line's: a hidden layer relu and He-uniform, the last Dense layer (the logits) linear
   * and Glorot-uniform.
   */
  fun dense(units: Int, activation: Activation? = null, init: Initializer? = null) {
    given[layers.size] = activation to init
    layers += LayerSpec.Dense(units, activation ?: hiddenActivation, init ?: hiddenInitializer)
  }

  /**
   * A 2-D convolution, [filters] kernels of [size] x [size], padding SAME; relu and He-uniform
   * unless told otherwise.
   */
  fun conv2d(
    filters: Int,
    size: Int,
    stride: Int = 1,
    activation: Activation = hiddenActivation,
    init: Initializer = hiddenInitializer,
  ) {
    layers += LayerSpec.Conv2D(filters, size, stride, activation, init)
  }

  /**
   * An LSTM layer of [units] over a sequence (Keras's gates and initialisers): the last step's
   * output, or with [returnSequences] every step's, for another recurrent layer after it. Dropout
   * inside it: [input] on the input's features and [state] on the previous output, one mask per
   * sequence (standard on both: variational dropout; `yDrop()`, `lrpGuided()` or `pfid()` on the
   * state rank its units by importance summed over the steps), or a fresh one per step with
   * [perStep]; [zoneout], the probability that a unit keeps its previous state.
   */
  fun lstm(
    units: Int,
    returnSequences: Boolean = false,
    init: Initializer = LayerSpec.Recurrent.DEFAULT_INITIALIZER,
    input: DropoutSpec = RecurrentDropout.NONE.input(),
    state: DropoutSpec = RecurrentDropout.NONE.state(),
    zoneout: Double = RecurrentDropout.NONE.zoneout(),
    perStep: Boolean = RecurrentDropout.NONE.perStep(),
  ) = recurrent(RecurrentCell.LSTM, units, returnSequences, init, input, state, zoneout, perStep)

  /** A GRU layer of [units] (Keras's `reset_after` form); its settings as [lstm]'s. */
  fun gru(
    units: Int,
    returnSequences: Boolean = false,
    init: Initializer = LayerSpec.Recurrent.DEFAULT_INITIALIZER,
    input: DropoutSpec = RecurrentDropout.NONE.input(),
    state: DropoutSpec = RecurrentDropout.NONE.state(),
    zoneout: Double = RecurrentDropout.NONE.zoneout(),
    perStep: Boolean = RecurrentDropout.NONE.perStep(),
  ) = recurrent(RecurrentCell.GRU, units, returnSequences, init, input, state, zoneout, perStep)

  private fun recurrent(
    cell: RecurrentCell,
    units: Int,
    returnSequences: Boolean,
    init: Initializer,
    input: DropoutSpec,
    state: DropoutSpec,
    zoneout: Double,
    perStep: Boolean,
  ) {
    layers +=
      LayerSpec.Recurrent(
        cell,
        units,
        returnSequences,
        init,
        RecurrentDropout(input, state, zoneout, perStep),
      )
  }

  /** [size] x [size] max pooling, stride [size]. */
  fun maxPool(size: Int = 2) {
    layers += LayerSpec.MaxPool(size)
  }

  /** BatchNorm of the previous Dense or Conv2D layer, before its activation. */
  fun batchNorm(
    momentum: Double = LayerSpec.BatchNorm.DEFAULT.momentum(),
    epsilon: Double = LayerSpec.BatchNorm.DEFAULT.epsilon(),
  ) {
    layers += LayerSpec.BatchNorm(momentum, epsilon)
  }

  /** `[N, H, W, C] -> [N, H*W*C]`. */
  fun flatten() {
    layers += LayerSpec.Flatten()
  }

  /** A dropout method on the previous layer's output. */
  fun dropout(method: DropoutSpec) {
    layers += LayerSpec.Dropout(method)
  }

  /** A dropout method from its command-line text, e.g. `dropout("sector:n=8,p=0.5")`. */
  fun dropout(text: String) = dropout(DropoutSpec.parse(text))

  internal fun build(): ModelSpec {
    val output = layers.indexOfLast { it is LayerSpec.Dense }
    given[output]?.let { (activation, init) ->
      val dense = layers[output] as LayerSpec.Dense
      layers[output] =
        LayerSpec.Dense(
          dense.units(),
          activation ?: LayerSpec.OUTPUT_ACTIVATION,
          init ?: LayerSpec.OUTPUT_INITIALIZER,
        )
    }
    return ModelSpec(input, layers)
  }
}

private val hiddenActivation: Activation
  get() = Activation.parse(LayerSpec.HIDDEN_ACTIVATION)
private val hiddenInitializer: Initializer
  get() = Initializer.parse(LayerSpec.HIDDEN_INITIALIZER)

/**
 * `sequential(inputs = 784) { dense(1024, activation = relu); dropout(sectorWise(n = 8, p = 0.5));
 * dense(10) }`
 */
fun sequential(inputs: Int, block: SequentialBuilder.() -> Unit): Model =
  Model(SequentialBuilder(FeatureShape.flat(inputs)).apply(block).build())

/**
 * `sequential(image = image(28, 28, 1)) { conv2d(32, 3, activation = relu); maxPool(2);
 * dropout(dropBlock()); dense(10) }`, or over sequences: `sequential(sequence = sequence(28, 28)) {
 * lstm(128); dropout(yDrop()); dense(10) }`. Give one of the two.
 */
fun sequential(
  image: FeatureShape? = null,
  sequence: FeatureShape? = null,
  block: SequentialBuilder.() -> Unit,
): Model {
  require((image == null) != (sequence == null)) {
    "give one input shape: image = image(H, W, C) or sequence = sequence(T, F)"
  }
  require(image == null || image.map()) { "image = $image is not an image: use image(H, W, C)" }
  require(sequence == null || sequence.sequence()) {
    "sequence = $sequence is not a sequence: use sequence(T, F)"
  }
  return Model(SequentialBuilder(image ?: sequence!!).apply(block).build())
}

/**
 * A sequence input of [steps] time steps of [features] values each; the data stays flat, an
 * example's values step after step (an image's rows, for 28 x 28 Fashion-MNIST).
 */
fun sequence(steps: Int, features: Int): FeatureShape = FeatureShape.sequence(steps, features)

/**
 * An image input of [height] x [width] x [channels] (NHWC); the data stays flat, `height * width *
 * channels` values per example.
 */
fun image(height: Int, width: Int, channels: Int = 1): FeatureShape =
  FeatureShape.map(height, width, channels)

/**
 * A model: its layers, and the weights of every training of it. The latest is what [run],
 * [exportSavedModel] and [importance] use; a [Run] returned earlier stays usable until [close],
 * which frees them all.
 */
class Model(val spec: ModelSpec, val startingWeights: StartingWeights? = null) : AutoCloseable {
  private val runs = mutableListOf<Run>()

  /**
   * This model's network with [method] as its dropout, placed as the command line's --dropout
   * places it (after every hidden Dense layer; a structured method after every convolutional
   * block), and [featureDropout] after every convolutional block; the same starting weights.
   */
  fun withDropout(method: DropoutSpec, featureDropout: DropoutSpec = NoDropout()): Model {
    val network = spec.withoutDropout()
    return Model(
      ModelSpec(
        network.input(),
        Architecture.placeDropout(network.layers(), network.widths(), method, featureDropout),
      ),
      startingWeights,
    )
  }

  /** Keeps [run] as this model's latest training. */
  internal fun keep(run: Run) {
    runs += run
  }

  /**
   * Per-unit (per-channel after a convolution or pooling) importance of every hidden layer on the
   * first [limit] examples of [data], with the latest trained weights, or the starting weights
   * before any training.
   */
  fun importance(measure: ImportanceSpec, data: Dataset, limit: Int = 1000): ImportanceProfile {
    runs.lastOrNull()?.let {
      return it.importance(measure, data, limit)
    }
    val start =
      startingWeights
        ?: throw IllegalStateException("the model has no weights yet: train(...) it first")
    return importanceProfile(spec, start.values()::get, measure, data, limit)
  }

  /** The trained run behind this model; fails clearly before the first [train]. */
  val run: Run
    get() =
      runs.lastOrNull()
        ?: throw IllegalStateException("the model has not been trained yet: call train(...) first")

  /**
   * Exports the latest trained weights as a dropout-free SavedModel (serving_default: raw x ->
   * logits, probabilities; with Monte Carlo signatures, importance-guided methods sampled at their
   * rates as training left them), with the training data's scaling, class names and held-out
   * classes; before any training, the starting weights (an import's), over inputs as given and
   * classes named by index.
   */
  fun exportSavedModel(dir: String) {
    val start = startingWeights
    if (runs.isEmpty() && start != null) {
      SavedModelExport.export(
        spec,
        start,
        Path.of(dir),
        Preprocessing.NONE,
        ClassificationData.indexNames(spec.classes()),
        start.origin(),
      )
    } else {
      run.monteCarloLayers.lines(spec).forEach(::println)
      SavedModelExport.export(
        run.session,
        Path.of(dir),
        run.preprocessing,
        run.classNames,
        1.0,
        run.oodClasses,
        run.monteCarloLayers.forExport(),
      )
    }
  }

  /** One row per layer: kind, output shape, trainable parameters, dropout method. */
  fun summary(): List<LayerRow> {
    val shapes = spec.outputShapes()
    val names = spec.layerNames()
    return spec.layers().mapIndexed { i, layer ->
      val kind =
        when (layer) {
          is LayerSpec.Dense -> "Dense(${layer.activation().text()})"
          is LayerSpec.Conv2D ->
            "Conv2D(${layer.filters()}x${layer.size()}, ${layer.activation().text()})"
          is LayerSpec.Recurrent ->
            "${layer.cell()}(${layer.units()}${if (layer.sequences()) ", sequences" else ""})"
          is LayerSpec.MaxPool -> "MaxPool(${layer.size()})"
          is LayerSpec.BatchNorm -> "BatchNorm"
          is LayerSpec.Flatten -> "Flatten"
          is LayerSpec.Dropout -> "Dropout"
        }
      LayerRow(
        names[i],
        kind,
        shapes[i].toString(),
        spec.parameters(i),
        (layer as? LayerSpec.Dropout)?.method()?.text()
          ?: (layer as? LayerSpec.Recurrent)?.dropout()?.takeIf { it.any() }?.text()
          ?: "",
      )
    }
  }

  /** A layer of [summary]. */
  data class LayerRow(
    val name: String,
    val kind: String,
    val output: String,
    val parameters: Long,
    val dropout: String,
  )

  override fun toString(): String =
    "Model(${spec.widths()}, dropout ${spec.dropoutText()}${startingWeights?.let { ", from ${it.origin()}" } ?: ""})"

  /** Frees the weights of every training of this model. */
  override fun close() {
    runs.forEach { it.close() }
    runs.clear()
  }
}
