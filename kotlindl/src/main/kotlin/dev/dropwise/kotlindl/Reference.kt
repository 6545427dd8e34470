package dev.dropwise.kotlindl

import java.io.File
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.StandardCopyOption
import java.util.Locale
import kotlin.system.exitProcess
import org.jetbrains.kotlinx.dl.api.core.SavingFormat
import org.jetbrains.kotlinx.dl.api.core.Sequential
import org.jetbrains.kotlinx.dl.api.core.WritingMode
import org.jetbrains.kotlinx.dl.api.core.activation.Activations
import org.jetbrains.kotlinx.dl.api.core.initializer.GlorotUniform
import org.jetbrains.kotlinx.dl.api.core.initializer.HeNormal
import org.jetbrains.kotlinx.dl.api.core.layer.Layer
import org.jetbrains.kotlinx.dl.api.core.layer.convolutional.Conv2D
import org.jetbrains.kotlinx.dl.api.core.layer.convolutional.ConvPadding
import org.jetbrains.kotlinx.dl.api.core.layer.core.ActivationLayer
import org.jetbrains.kotlinx.dl.api.core.layer.core.Dense
import org.jetbrains.kotlinx.dl.api.core.layer.core.Input
import org.jetbrains.kotlinx.dl.api.core.layer.normalization.BatchNorm
import org.jetbrains.kotlinx.dl.api.core.layer.pooling.MaxPool2D
import org.jetbrains.kotlinx.dl.api.core.layer.regularization.Dropout
import org.jetbrains.kotlinx.dl.api.core.layer.reshaping.Flatten
import org.jetbrains.kotlinx.dl.api.core.loss.Losses
import org.jetbrains.kotlinx.dl.api.core.metric.Metrics
import org.jetbrains.kotlinx.dl.api.core.optimizer.Adam
import org.jetbrains.kotlinx.dl.dataset.OnHeapDataset
import org.jetbrains.kotlinx.dl.dataset.fashionMnist

/**
 * KotlinDL 0.4.0 trained and saved as its users do: the reference that dropwise's import is held
 * to. Nothing here knows dropwise; it runs in a JVM of its own (`kotlindl/run`, or this module's
 * tests).
 */
object Reference {
  /** How many test images the logits file holds. */
  const val LOGIT_IMAGES = 200

  /** Where Debian's dataset-fashion-mnist puts the four files. */
  val DATA: Path = Path.of("/usr/share/datasets/fashion-mnist")

  /**
   * The reference architectures, each with an optional Dropout before the output layer: an MLP, a
   * small CNN, an MLP whose hidden layer is linear, batch-normalised, then activated (the Keras
   * pattern dropwise's BatchNorm stands for), and an MLP with one hidden layer per other activation
   * dropwise imports.
   */
  enum class Kind {
    MLP,
    CNN,
    MLP_BN,
    MLP_ACTIVATIONS,
  }

  /**
   * A KotlinDL model of [kind] on 28x28x1 images, `dropout` null: no Dropout layer at all; [hidden]
   * sizes it (the MLPs' hidden width; the CNN's Dense width, its convolutions [hidden]/8 and
   * [hidden]/4 filters).
   */
  fun model(kind: Kind, dropout: Float?, seed: Long, hidden: Int = 128): Sequential {
    val layers = mutableListOf<Layer>(Input(28, 28, 1))
    when (kind) {
      Kind.MLP -> layers += listOf(Flatten(), dense(hidden, Activations.Relu, seed))
      Kind.CNN ->
        layers +=
          listOf(
            Conv2D(
              filters = hidden / 8,
              kernelSize = intArrayOf(3, 3),
              strides = intArrayOf(1, 1, 1, 1),
              activation = Activations.Relu,
              kernelInitializer = HeNormal(seed),
              padding = ConvPadding.SAME,
            ),
            MaxPool2D(poolSize = intArrayOf(1, 2, 2, 1), strides = intArrayOf(1, 2, 2, 1)),
            Conv2D(
              filters = hidden / 4,
              kernelSize = intArrayOf(3, 3),
              strides = intArrayOf(1, 1, 1, 1),
              activation = Activations.Relu,
              kernelInitializer = HeNormal(seed + 1),
              padding = ConvPadding.SAME,
            ),
            MaxPool2D(poolSize = intArrayOf(1, 2, 2, 1), strides = intArrayOf(1, 2, 2, 1)),
            Flatten(),
            dense(hidden / 2, Activations.Relu, seed + 2),
          )
      Kind.MLP_BN ->
        layers +=
          listOf(
            Flatten(),
            dense(hidden, Activations.Linear, seed),
            BatchNorm(axis = listOf(1)),
            ActivationLayer(Activations.Relu),
          )
      Kind.MLP_ACTIVATIONS ->
        layers +=
          listOf(Flatten()) +
            listOf(
                Activations.Sigmoid,
                Activations.Tanh,
                Activations.Elu,
                Activations.Selu,
                Activations.Relu6,
                Activations.SoftPlus,
                Activations.Swish,
              )
              .mapIndexed { i, activation -> dense(hidden / 2, activation, seed + 10 + i) }
    }
    if (dropout != null) {
      layers += Dropout(dropout, seed)
    }
    // KotlinDL's Dense defaults to ReLU: the output layer must say Linear to give logits.
    layers +=
      Dense(
        outputSize = 10,
        activation = Activations.Linear,
        kernelInitializer = GlorotUniform(seed + 3),
      )
    return Sequential.of(layers)
  }

  private fun dense(units: Int, activation: Activations, seed: Long) =
    Dense(outputSize = units, activation = activation, kernelInitializer = HeNormal(seed))

  /** Fashion-MNIST as KotlinDL reads it (pixels / 255), from the `.gz` files in `dataDir`. */
  fun fashion(dataDir: Path, cache: Path): Pair<OnHeapDataset, OnHeapDataset> {
    // fashionMnist(cache) reads cache/datasets/fashionmnist/<the four names> and downloads nothing
    // when they are there.
    val target = Files.createDirectories(cache.resolve("datasets/fashionmnist"))
    for (name in
      listOf(
        "train-images-idx3-ubyte.gz",
        "train-labels-idx1-ubyte.gz",
        "t10k-images-idx3-ubyte.gz",
        "t10k-labels-idx1-ubyte.gz",
      )) {
      val source = dataDir.resolve(name)
      require(Files.isRegularFile(source)) { "Fashion-MNIST file $source is missing" }
      Files.copy(source, target.resolve(name), StandardCopyOption.REPLACE_EXISTING)
    }
    return fashionMnist(cache.toFile())
  }

  /** What one training ends with. */
  data class Trained(
    val accuracy: Double,
    val loss: Double,
    val logits: List<FloatArray>,
    val labels: List<Int>,
  )

  /**
   * Trains [model] with Adam (KotlinDL's defaults) for [epochs] epochs of batch 100, evaluates it
   * on the whole test set, takes the logits of the first [LOGIT_IMAGES] test images and, when
   * [saveTo] is given, saves it as JSON config and variables (what dropwise imports).
   */
  fun train(
    model: Sequential,
    train: OnHeapDataset,
    test: OnHeapDataset,
    epochs: Int,
    saveTo: File?,
  ): Trained {
    model.compile(
      optimizer = Adam(),
      loss = Losses.SOFT_MAX_CROSS_ENTROPY_WITH_LOGITS,
      metric = Metrics.ACCURACY,
    )
    model.fit(dataset = train, epochs = epochs, batchSize = 100)
    val evaluation = model.evaluate(dataset = test, batchSize = 1000)
    // predictSoftly applies softmax; the output layer's activation tensor holds the logits.
    val output = "Activation_" + model.layers.last().name
    val logits = (0 until LOGIT_IMAGES).map { model.predictSoftly(test.getX(it), output) }
    val labels = (0 until LOGIT_IMAGES).map { test.getY(it).toInt() }
    saveTo?.let {
      model.save(it, SavingFormat.JSON_CONFIG_CUSTOM_VARIABLES, writingMode = WritingMode.OVERRIDE)
    }
    return Trained(evaluation.metrics[Metrics.ACCURACY]!!, evaluation.lossValue, logits, labels)
  }

  /**
   * Every op of the model's graph as (name, type), from KotlinDL's listing ("Name: X; Type: Y;
   * ...").
   */
  fun ops(model: Sequential): List<Pair<String, String>> =
    Regex("""Name: ([^;]+); Type: ([^;]+);""")
      .findAll(model.kGraph().toString())
      .map { it.groupValues[1] to it.groupValues[2] }
      .toList()

  /** `logits.csv` (label, then the logits) and `reference.properties` beside the saved model. */
  fun writeResults(dir: File, trained: Trained, description: String) {
    val csv = StringBuilder("label," + (0 until 10).joinToString(",") { "logit_$it" } + "\n")
    trained.logits.forEachIndexed { i, row ->
      csv
        .append(trained.labels[i])
        .append(',')
        .append(row.joinToString(",") { it.toString() })
        .append('\n')
    }
    File(dir, "logits.csv").writeText(csv.toString())
    File(dir, "reference.properties")
      .writeText("model=$description\naccuracy=${trained.accuracy}\nloss=${trained.loss}\n")
  }
}

/**
 * `kotlindl/run --model mlp|cnn|mlp_bn [--dropout R] [--seed S] [--epochs E] [--hidden N]
 * [--data DIR] --out DIR`: trains one KotlinDL model on Fashion-MNIST and saves it with its test
 * accuracy and the logits of the first 200 test images.
 */
private const val USAGE =
  """Usage: kotlindl/run --model mlp|cnn|mlp_bn|mlp_activations --out DIR [--dropout RATE] [--seed N]
                    [--epochs N] [--hidden UNITS] [--data DIR]
Trains one KotlinDL 0.4.0 model on Fashion-MNIST and saves it (JSON config and variables) in DIR."""

/**
 * The command line's options by name; a bad one ends the program with exit code 2 and the usage.
 */
private class Options(args: Array<String>) {
  private val values = mutableMapOf<String, String>()

  init {
    if (args.any { it == "--help" || it == "-h" }) {
      println(USAGE)
      exitProcess(0)
    }
    var i = 0
    while (i < args.size) {
      val name = args[i]
      if (
        name !in setOf("--model", "--out", "--dropout", "--seed", "--epochs", "--hidden", "--data")
      ) {
        fail("unknown option '$name'")
      }
      if (i + 1 >= args.size) fail("$name needs a value")
      values[name.removePrefix("--")] = args[i + 1]
      i += 2
    }
    if ("model" !in values) fail("--model is required")
    if ("out" !in values) fail("--out is required")
  }

  operator fun get(name: String): String? = values[name]

  fun <T> parsed(name: String, allowed: String, parse: (String) -> T?): T? =
    values[name]?.let { parse(it) ?: fail("--$name ${values[name]}: $allowed") }

  fun fail(problem: String): Nothing {
    System.err.println("kotlindl/run: $problem")
    System.err.println(USAGE)
    exitProcess(2)
  }
}

fun main(args: Array<String>) {
  val options = Options(args)
  val kind =
    options.parsed("model", "allowed: mlp, cnn, mlp_bn, mlp_activations") { m ->
      Reference.Kind.values().firstOrNull { it.name == m.uppercase(Locale.ROOT) }
    }!!
  val dropout =
    options.parsed("dropout", "a rate in (0, 1)") {
      it.toFloatOrNull()?.takeIf { r -> r > 0f && r < 1f }
    }
  val seed = options.parsed("seed", "a whole number") { it.toLongOrNull() } ?: 1L
  val epochs =
    options.parsed("epochs", "a whole number from 1 up") {
      it.toIntOrNull()?.takeIf { e -> e >= 1 }
    } ?: 3
  val hidden =
    options.parsed("hidden", "a whole number from 1 up") {
      it.toIntOrNull()?.takeIf { h -> h >= 1 }
    } ?: 128
  val out = File(options["out"]!!)
  val dataDir = options["data"]?.let { Path.of(it) } ?: Reference.DATA
  val (train, test) = Reference.fashion(dataDir, Files.createTempDirectory("kotlindl-cache"))
  val trained =
    Reference.model(kind, dropout, seed, hidden).use {
      Reference.train(it, train, test, epochs, out)
    }
  Reference.writeResults(
    out,
    trained,
    "$kind hidden=$hidden dropout=${dropout ?: "none"} seed=$seed epochs=$epochs",
  )
  println(
    String.format(
      Locale.ROOT,
      "KotlinDL %s, Dropout(%s), seed %d, %d epochs: test accuracy %.4f; saved to %s",
      kind,
      dropout ?: "none",
      seed,
      epochs,
      trained.accuracy,
      out,
    )
  )
}
