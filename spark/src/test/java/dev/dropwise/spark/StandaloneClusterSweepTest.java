package dev.dropwise.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real standalone cluster (a Master and two Workers, each its own JVM, on 127.0.0.1): a sweep
 * gives the local sweep's runs; with a Worker and its executor killed mid-sweep, every run still
 * finishes once with the same results.
 */
class StandaloneClusterSweepTest {

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
  void aSweepOnTwoWorkersEqualsTheLocalOneAndSurvivesALostWorker(@TempDir Path dir) throws Exception {
    ClassificationData data = DataSpec.of("embedded").load();
    Map<String, ModelSpec> methods = LocalSparkSweepTest.methods("none", "standard:p=0.5", "sector:n=8,p=0.5");
    try (StandaloneCluster cluster = new StandaloneCluster(dir, 2)) {
      List<Comparison.Run> local = LocalSparkSweepTest.sweep(data, methods, dir.resolve("local"), RunExecutor.LOCAL);
      List<Comparison.Run> remote = LocalSparkSweepTest.sweep(data, methods, dir.resolve("cluster"),
          new SparkRunExecutor(cluster.url(), settings(), new PrintStream(new ByteArrayOutputStream())));
      assertSameRuns(local, remote);

      // A Worker (and its executor) vanishes while runs are in flight: Spark moves them to the other Worker.
      Map<String, ModelSpec> more = LocalSparkSweepTest.methods("none", "standard:p=0.3", "sector:n=4,p=0.5");
      Path runs = dir.resolve("faults");
      CompletableFuture<List<Comparison.Run>> sweep = CompletableFuture.supplyAsync(() -> {
        try {
          return LocalSparkSweepTest.sweep(data, more, runs, new SparkRunExecutor(cluster.url(), settings(),
              new PrintStream(new ByteArrayOutputStream())));
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
      assertSameRuns(LocalSparkSweepTest.sweep(data, more, dir.resolve("faults-local"), RunExecutor.LOCAL), survived);
    }
  }

  static void assertSameRuns(List<Comparison.Run> expected, List<Comparison.Run> actual) {
    assertEquals(expected.size(), actual.size());
    for (int i = 0; i < expected.size(); i++) {
      assertFalse(actual.get(i).failed(), actual.get(i).error());
      assertEquals(expected.get(i).method(), actual.get(i).method());
      assertEquals(expected.get(i).testAccuracy(), actual.get(i).testAccuracy(), 0.0, "run " + i);
      assertEquals(expected.get(i).testLoss(), actual.get(i).testLoss(), 0.0, "run " + i);
      assertEquals(LocalSparkSweepTest.untimed(expected.get(i)), LocalSparkSweepTest.untimed(actual.get(i)), "run " + i);
    }
  }
}
