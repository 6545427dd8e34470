package dev.dropwise.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dropwise.data.ClassificationData;
import dev.dropwise.data.DataSpec;
import dev.dropwise.experiments.Comparison;
import dev.dropwise.experiments.RunExecutor;
import dev.dropwise.model.ModelSpec;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real standalone cluster (a Master and two Workers, each its own JVM, on 127.0.0.1): a sweep
 * gives the local sweep's runs; a driver killed half-way and started again trains only what it had
 * not saved; with a Worker and its executor killed mid-sweep, every run still finishes once with
 * the same results.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StandaloneClusterSweepTest {
  @TempDir static Path dir;
  static StandaloneCluster cluster;
  static ClassificationData data;

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = new StandaloneCluster(dir, 2);
    data = DataSpec.of("embedded").load();
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  static Map<String, String> settings() {
    Map<String, String> s = new HashMap<>(LocalSparkSweepTest.LOOPBACK);
    s.put("spark.executor.memory", "1g");
    s.put("spark.task.maxFailures", "4");
    return s;
  }

  static int savedRuns(Path runs) throws Exception {
    if (!Files.isDirectory(runs)) {
      return 0;
    }
    try (var files = Files.list(runs)) {
      return (int) files.filter(f -> f.toString().endsWith(".json")).count();
    }
  }

  @Test
  @Order(1)
  void aSweepOnTwoWorkersEqualsTheLocalOne() throws Exception {
    Map<String, ModelSpec> methods =
        LocalSparkSweepTest.methods("none", "standard:p=0.5", "sector:n=8,p=0.5");
    List<Comparison.Run> local =
        LocalSparkSweepTest.sweep(data, methods, dir.resolve("local"), RunExecutor.LOCAL);
    List<Comparison.Run> remote =
        LocalSparkSweepTest.sweep(
            data,
            methods,
            dir.resolve("cluster"),
            new SparkRunExecutor(
                cluster.url(), settings(), new PrintStream(new ByteArrayOutputStream())));
    assertSameRuns(local, remote);
  }

  /** The command line's driver, a JVM of its own on the cluster, printing plain progress lines. */
  static Process driver(Path out, Path log) throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dspark.ui.enabled=false",
                "-Dspark.executor.memory=1g",
                "-cp",
                System.getProperty("java.class.path"),
                "dev.dropwise.cli.Dropwise",
                "compare",
                "--data",
                "embedded",
                "--limit",
                "600",
                "--layers",
                "32",
                "--epochs",
                "3",
                "--methods",
                "none;standard:p=0.5;sector:n=8,p=0.5",
                "--seeds",
                "1,2",
                "--master",
                cluster.url(),
                "--out",
                out.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    pb.environment().putAll(cluster.environment());
    pb.environment().put("CI", "true");
    return pb.start();
  }

  @Test
  @Order(2)
  void aDriverKilledHalfwayAndStartedAgainTrainsOnlyTheRunsItHadNotSaved() throws Exception {
    Path out = dir.resolve("driver");
    Process first = driver(out, dir.resolve("driver-1.log"));
    long deadline = System.nanoTime() + 300_000_000_000L;
    while (savedRuns(out.resolve("runs")) < 2 && first.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertTrue(
        first.isAlive(),
        "the driver was still running: " + Files.readString(dir.resolve("driver-1.log")));
    first.descendants().forEach(ProcessHandle::destroyForcibly);
    first.destroyForcibly();
    first.onExit().join();
    int saved = savedRuns(out.resolve("runs"));
    assertTrue(saved >= 2 && saved < 6, saved + " runs saved when the driver died");

    Path log = dir.resolve("driver-2.log");
    Process second = driver(out, log);
    assertEquals(0, second.waitFor(), Files.readString(log));
    String printed = Files.readString(log);
    assertEquals(
        saved, printed.lines().filter(l -> l.startsWith("done before: ")).count(), printed);
    assertTrue(
        printed.contains("runs: " + (6 - saved) + " of " + (6 - saved) + " finished"), printed);
    assertEquals(6, savedRuns(out.resolve("runs")), "each run saved once");
  }

  @Test
  @Order(3)
  void aSweepSurvivesAWorkerKilledWithItsExecutor() throws Exception {
    // A Worker (and its executor) vanishes while runs are in flight: Spark moves them to the other
    // Worker.
    Map<String, ModelSpec> more =
        LocalSparkSweepTest.methods("none", "standard:p=0.3", "sector:n=4,p=0.5");
    Path runs = dir.resolve("faults");
    CompletableFuture<List<Comparison.Run>> sweep =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return LocalSparkSweepTest.sweep(
                    data,
                    more,
                    runs,
                    new SparkRunExecutor(
                        cluster.url(), settings(), new PrintStream(new ByteArrayOutputStream())));
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    long deadline = System.nanoTime() + 300_000_000_000L;
    while (savedRuns(runs) < 1 && System.nanoTime() < deadline && !sweep.isDone()) {
      Thread.sleep(100);
    }
    assertFalse(sweep.isDone(), "runs still in flight when the Worker is killed");
    cluster.killWorker(0);
    List<Comparison.Run> survived = sweep.get();
    assertEquals(6, savedRuns(runs), "every run saved once");
    assertSameRuns(
        LocalSparkSweepTest.sweep(data, more, dir.resolve("faults-local"), RunExecutor.LOCAL),
        survived);
  }

  static void assertSameRuns(List<Comparison.Run> expected, List<Comparison.Run> actual) {
    assertEquals(expected.size(), actual.size());
    for (int i = 0; i < expected.size(); i++) {
      assertFalse(actual.get(i).failed(), actual.get(i).error());
      assertEquals(expected.get(i).method(), actual.get(i).method());
      assertEquals(expected.get(i).testAccuracy(), actual.get(i).testAccuracy(), 0.0, "run " + i);
      assertEquals(expected.get(i).testLoss(), actual.get(i).testLoss(), 0.0, "run " + i);
      assertEquals(
          LocalSparkSweepTest.untimed(expected.get(i)),
          LocalSparkSweepTest.untimed(actual.get(i)),
          "run " + i);
    }
  }
}
