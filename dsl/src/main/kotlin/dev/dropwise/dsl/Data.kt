package dev.dropwise.dsl

import dev.dropwise.data.ClassificationData
import dev.dropwise.data.DataSpec
import dev.dropwise.data.FashionMnist
import dev.dropwise.data.Preprocessing
import dev.dropwise.network.FeatureShape
import java.nio.file.Path

/**
 * Fashion-MNIST from [dir], else the system copy, else the subset embedded in the jar (and it says
 * so).
 */
fun fashionMnist(dir: String? = null): ClassificationData =
  if (dir == null) FashionMnist.loadDefault() else FashionMnist.load(Path.of(dir))

/** The 5,000 + 1,000 example subset embedded in the jar: small, fast, always there. */
fun fashionMnistEmbedded(): ClassificationData = FashionMnist.loadEmbedded()

/**
 * Your own data, as `--data` takes it: `data("csv:wine.csv")`, `data("npy:x.npy,y.npy")`,
 * `data("images:photos/")`, `data("idx:dir")`. A source without a test set of its own gets one from
 * [testData] or a stratified [testFraction] split (default 0.2) seeded by [splitSeed]; [scale] is
 * "none", "unit" or "standardize" (default: unit for images, standardize for tables); [image]
 * resizes images, or reshapes flat features for convolutional layers. [oodClasses] (names or
 * indices) are held out of both sets: a model trained on the rest records them when exported, and
 * [uncertainty] takes their test images as the inputs it has never seen.
 */
fun data(
  source: String,
  testData: String? = null,
  testFraction: Double? = null,
  splitSeed: Long = 1,
  scale: String? = null,
  image: FeatureShape? = null,
  oodClasses: List<String>? = null,
): ClassificationData =
  DataSpec(
      source,
      testData,
      testFraction,
      splitSeed,
      scale?.let { Preprocessing.Scale.parse(it) },
      image?.let { listOf(it.height(), it.width(), it.channels()) },
      oodClasses,
    )
    .load()
