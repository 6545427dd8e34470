package dev.dropwise.dsl

import dev.dropwise.data.FashionMnist
import dev.dropwise.data.ImageClassificationData
import java.nio.file.Path

/** Fashion-MNIST from [dir], else the system copy, else the subset embedded in the jar (and it says so). */
fun fashionMnist(dir: String? = null): ImageClassificationData =
    if (dir == null) FashionMnist.loadDefault() else FashionMnist.load(Path.of(dir))

/** The 5,000 + 1,000 example subset embedded in the jar: small, fast, always there. */
fun fashionMnistEmbedded(): ImageClassificationData = FashionMnist.loadEmbedded()
