package dev.dropwise.kotlindl

import java.io.File
import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.TimeUnit
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.io.TempDir
import org.junit.jupiter.params.ParameterizedTest
import org.junit.jupiter.params.provider.EnumSource

/**
 * dropwise, in a JVM of its own (TensorFlow Java cannot share this one with KotlinDL's TensorFlow
 * 1.15), imports models KotlinDL has just trained and saved, and serves KotlinDL's logits and test
 * accuracy.
 */
class ImportReproducesKotlinDlTest {
  @TempDir lateinit var dir: Path

  @ParameterizedTest
  @EnumSource(Reference.Kind::class)
  fun dropwiseServesWhatKotlinDlComputed(kind: Reference.Kind) {
    val saved = dir.resolve("kotlindl").toFile()
    val (train, test) = Reference.fashion(Reference.DATA, dir.resolve("cache"))
    val trained =
      Reference.model(kind, 0.5f, seed = 3, hidden = 64).use {
        Reference.train(it, train, test, 1, saved)
      }
    Reference.writeResults(saved, trained, "$kind")

    val imported = dir.resolve("imported")
    dropwise("import", "--from", "kotlindl", saved.path, "--out", imported.toString())
    dropwise(
      "predict",
      "--model",
      imported.toString(),
      "--limit",
      "${Reference.LOGIT_IMAGES}",
      "--out",
      dir.resolve("predictions.csv").toString(),
    )
    val eval = dropwise("eval", "--model", imported.toString())

    val rows = Files.readAllLines(dir.resolve("predictions.csv"))
    val header = rows[0].split(",")
    val first = header.indexOf("logit_0")
    var worst = 0.0
    for (i in 0 until Reference.LOGIT_IMAGES) {
      val cells = rows[i + 1].split(",")
      assertEquals(trained.labels[i], cells[1].toInt(), "image $i: the same test image")
      val reference = trained.logits[i]
      val scale = reference.maxOf { Math.abs(it) }.toDouble()
      for (c in reference.indices) {
        worst = maxOf(worst, Math.abs(cells[first + c].toDouble() - reference[c]) / scale)
      }
    }
    println("$kind: worst relative difference of dropwise's logits from KotlinDL's: $worst")
    assertTrue(worst < 1e-5, "$kind: worst relative difference $worst")
    // KotlinDL averages its accuracy in float over batches; dropwise counts. One example either way
    // at most.
    val accuracy =
      Regex("""accuracy ([0-9.]+) \(10000 examples\)""").find(eval)!!.groupValues[1].toDouble()
    println("$kind: test accuracy KotlinDL ${trained.accuracy}, dropwise $accuracy")
    assertEquals(trained.accuracy, accuracy, 1.5e-4)
  }

  /** Runs the dropwise CLI in its own JVM and returns what it printed; fails on a non-zero exit. */
  private fun dropwise(vararg args: String): String {
    val classpath = File(System.getProperty("dropwise.classpath.file")).readText().trim()
    val log = Files.createTempFile(dir, "dropwise", ".log").toFile()
    val process =
      ProcessBuilder(
          listOf(
            ProcessHandle.current().info().command().orElse("java"),
            "-cp",
            classpath,
            "dev.dropwise.cli.Dropwise",
          ) + args
        )
        .redirectErrorStream(true)
        .redirectOutput(log)
        .start()
    try {
      assertTrue(
        process.waitFor(5, TimeUnit.MINUTES),
        "dropwise ${args[0]} did not finish in 5 minutes",
      )
    } finally {
      process.destroyForcibly()
    }
    val output = log.readText()
    assertEquals(0, process.exitValue(), "dropwise ${args.joinToString(" ")}:\n$output")
    return output
  }
}
