package dev.dropwise.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dropwise.data.ClassificationData;
import dev.dropwise.data.DataSpec;
import dev.dropwise.dropout.DropoutSpec;
import dev.dropwise.experiments.Comparison;
import dev.dropwise.experiments.RunExecutor;
import dev.dropwise.model.ModelSpec;
import dev.dropwise.network.Activation;
import dev.dropwise.network.Initializer;
import dev.dropwise.train.ProgressListener;
import dev.dropwise.train.TrainConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sweep on local[2] gives the local sweep's table run for run; a run that fails is recorded and
 * the rest finish.
 */
class LocalSparkSweepTest {
  /** The driver and its executors bound to this machine's loopback only, no web UI. */
  static final Map<String, String> LOOPBACK =
      Map.of(
          "spark.driver.host",
          "127.0.0.1",
          "spark.driver.bindAddress",
          "127.0.0.1",
          "spark.ui.enabled",
          "false");

  static Map<String, ModelSpec> methods(String... texts) {
    Map<String, ModelSpec> methods = new LinkedHashMap<>();
    for (String t : texts) {
      methods.put(
          t,
          ModelSpec.mlp(
              784, List.of(32), Activation.RELU, Initializer.HE_UNIFORM, DropoutSpec.parse(t), 10));
    }
    return methods;
  }

  static final TrainConfig CONFIG = TrainConfig.defaults().withEpochs(2).withThreads(1);

  static List<Comparison.Run> sweep(
      ClassificationData data, Map<String, ModelSpec> methods, Path runs, RunExecutor executor)
      throws Exception {
    return Comparison.run(
        data,
        methods,
        List.of(1L, 2L),
        CONFIG,
        0.1,
        600,
        (m, s) -> ProgressListener.NONE,
        runs,
        new PrintStream(new ByteArrayOutputStream()),
        executor);
  }

  /** A run's history without the wall-clock seconds of its epochs. */
  static List<String> untimed(Comparison.Run run) {
    return run.history().stream()
        .map(e -> e.toString().replaceAll("seconds=[0-9.E-]+", ""))
        .toList();
  }

  @Test
  void localTwoGivesTheLocalSweepsRunsAndRecordsAFailedRun(@TempDir Path dir) throws Exception {
    ClassificationData data = DataSpec.of("embedded").load();
    Map<String, ModelSpec> methods = methods("none", "standard:p=0.5", "sector:n=8,p=0.5");
    List<Comparison.Run> local = sweep(data, methods, dir.resolve("local"), RunExecutor.LOCAL);
    ByteArrayOutputStream progress = new ByteArrayOutputStream();
    List<Comparison.Run> spark =
        sweep(
            data,
            methods,
            dir.resolve("spark"),
            new SparkRunExecutor(
                "local[2]", LOOPBACK, new PrintStream(progress, true, StandardCharsets.UTF_8)));
    assertEquals(6, spark.size());
    for (int i = 0; i < 6; i++) {
      assertEquals(local.get(i).method(), spark.get(i).method());
      assertEquals(local.get(i).seed(), spark.get(i).seed());
      assertEquals(local.get(i).testAccuracy(), spark.get(i).testAccuracy(), 0.0, "run " + i);
      assertEquals(local.get(i).testLoss(), spark.get(i).testLoss(), 0.0, "run " + i);
      assertEquals(
          untimed(local.get(i)),
          untimed(spark.get(i)),
          "run " + i + ": every epoch but its seconds");
    }
    assertEquals(
        Comparison.summarize(local).toString().replaceAll("secondsMean=[0-9.E-]+", ""),
        Comparison.summarize(spark).toString().replaceAll("secondsMean=[0-9.E-]+", ""),
        "the same table");
    String shown = progress.toString(StandardCharsets.UTF_8);
    assertTrue(shown.contains("runs: 6 of 6 finished, 0 running, 0 failed ("), shown);
    try (var files = Files.list(dir.resolve("spark"))) {
      assertEquals(7, files.count(), "six runs saved by the driver, and the directory's marker");
    }
    // Again: every run is found finished, nothing goes to Spark.
    assertEquals(
        spark,
        sweep(
            data,
            methods,
            dir.resolve("spark"),
            (d, tasks, p, done) -> assertEquals(0, tasks.size())));

    // A model the data does not fit (100 inputs for 784 features) fails alone; the other runs
    // finish.
    Map<String, ModelSpec> withBroken = methods("none");
    withBroken.put(
        "broken",
        ModelSpec.mlp(
            100,
            List.of(8),
            Activation.RELU,
            Initializer.HE_UNIFORM,
            DropoutSpec.parse("none"),
            10));
    List<Comparison.Run> mixed =
        sweep(
            data,
            withBroken,
            dir.resolve("mixed"),
            new SparkRunExecutor(
                "local[2]", LOOPBACK, new PrintStream(new ByteArrayOutputStream())));
    assertEquals(
        List.of(false, false, true, true), mixed.stream().map(Comparison.Run::failed).toList());
    assertTrue(mixed.get(2).error().contains("100"), mixed.get(2).error());
  }
}
