package dev.dropwise.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dropwise.testing.TestSupport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM while TensorFlow computes ends the command line cleanly: exit 143, a line that says so,
 * no fatal-error banner and no {@code hs_err_pid*.log} in the working directory (the JVM's own
 * shutdown crashed there), nothing but the given output paths written.
 */
class StopSignalTest {
  @Test
  void sigtermDuringTrainingEndsWith143AndWritesNothingElse(@TempDir Path dir) throws Exception {
    Path work = Files.createDirectories(dir.resolve("work"));
    Path log = dir.resolve("log.txt");
    Process p =
        TestSupport.startJvmIn(
            work,
            log,
            Dropwise.class.getName(),
            "train",
            "--data",
            "embedded",
            "--layers",
            "2048,2048",
            "--epochs",
            "50",
            "--out",
            dir.resolve("out").toString());
    try {
      // Training has begun once the model line is out: the steps run in TensorFlow's threads from
      // here.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (!Files.readString(log).contains("model: ")
          && p.isAlive()
          && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertTrue(p.isAlive(), Files.readString(log));
      Thread.sleep(1500);
      p.destroy(); // SIGTERM
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "ended after SIGTERM");
    } finally {
      p.destroyForcibly();
    }
    String output = Files.readString(log);
    assertEquals(143, p.exitValue(), output);
    assertTrue(output.contains("dropwise: stopped by SIGTERM"), output);
    assertFalse(
        output.contains("A fatal error has been detected") || output.contains("Exception"), output);
    try (Stream<Path> files = Files.list(work)) {
      assertEquals(List.of(), files.toList(), "nothing written in the working directory");
    }
  }
}
