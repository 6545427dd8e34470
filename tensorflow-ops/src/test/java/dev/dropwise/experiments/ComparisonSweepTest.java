package dev.dropwise.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dropwise.data.ClassificationData;
import dev.dropwise.dropout.DropoutSpec;
import dev.dropwise.model.ModelSpec;
import dev.dropwise.network.Activation;
import dev.dropwise.network.Initializer;
import dev.dropwise.report.SummaryTables;
import dev.dropwise.testing.TestSupport;
import dev.dropwise.train.EpochRecord;
import dev.dropwise.train.OptimizerSpec;
import dev.dropwise.train.ProgressListener;
import dev.dropwise.train.RunSeeds;
import dev.dropwise.train.TrainConfig;
import dev.dropwise.util.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ComparisonSweepTest {
  @TempDir Path dir;

  static ModelSpec mlp(int inputs, String dropout) {
    return ModelSpec.mlp(
        inputs,
        List.of(16),
        Activation.RELU,
        Initializer.HE_UNIFORM,
        DropoutSpec.parse(dropout),
        10);
  }

  @Test
  void aSweepResumesFinishedRunsAndRecordsAFailureWithoutStopping() throws Exception {
    ClassificationData data = TestSupport.embedded();
    Map<String, ModelSpec> methods = new LinkedHashMap<>();
    methods.put("standard", mlp(784, "standard:p=0.5"));
    methods.put(
        "broken", mlp(100, "none")); // takes 100 features: training refuses the 784-feature data
    methods.put("sector", mlp(784, "sector"));
    TrainConfig config = TrainConfig.defaults().withEpochs(1);
    AtomicInteger trained = new AtomicInteger();
    ProgressListener counting =
        new ProgressListener() {
          @Override
          public void onEpochEnd(EpochRecord record, int epochs) {
            trained.incrementAndGet();
          }
        };
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    List<Comparison.Run> first =
        Comparison.run(
            data,
            methods,
            List.of(1L, 2L),
            config,
            0.1,
            600,
            (m, s) -> counting,
            dir,
            new PrintStream(log, true, StandardCharsets.UTF_8));
    assertEquals(6, first.size());
    assertEquals(4, trained.get(), "two methods x two seeds trained; the broken one failed");
    assertEquals(2, first.stream().filter(Comparison.Run::failed).count());
    assertTrue(
        first.stream().filter(Comparison.Run::failed).allMatch(r -> r.error().contains("100")),
        log.toString(StandardCharsets.UTF_8));
    assertTrue(log.toString(StandardCharsets.UTF_8).contains("FAILED: broken seed 1"));
    try (var files = Files.list(dir)) {
      assertEquals(
          6,
          files.filter(f -> f.toString().endsWith(".json")).count(),
          "every run, failed or not, is saved");
    }

    trained.set(0);
    List<Comparison.Run> second =
        Comparison.run(
            data,
            methods,
            List.of(1L, 2L),
            config,
            0.1,
            600,
            (m, s) -> counting,
            dir,
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    assertEquals(
        0,
        trained.get(),
        "finished runs are loaded, not trained again (failed ones are retried and fail again)");
    for (int i = 0; i < 6; i++) {
      if (!first.get(i).failed()) {
        assertEquals(first.get(i).testAccuracy(), second.get(i).testAccuracy());
        assertEquals(first.get(i).history(), second.get(i).history());
      }
    }
    List<Comparison.Summary> summaries = Comparison.summarize(second);
    Comparison.Summary broken = summaries.get(1);
    assertEquals(0, broken.runs());
    assertEquals(2, broken.failed());
    assertTrue(SummaryTables.table(summaries).contains("failed"));
    assertTrue(
        SummaryTables.markdown(summaries).contains("| `broken` | - | - | 0 | 2 |"),
        SummaryTables.markdown(summaries));

    // A look at the sweep in progress: the finished runs, nothing trained, failed and missing ones
    // left out.
    List<Comparison.Run> finished =
        Comparison.finished(data, methods, List.of(1L, 2L, 3L), config, 0.1, 600, dir);
    assertEquals(
        4, finished.size(), "standard and sector, seeds 1 and 2; broken failed, seed 3 never ran");
    assertEquals(List.of(first.get(0), first.get(1), first.get(4), first.get(5)), finished);
    assertTrue(finished.stream().noneMatch(r -> r.seed() == 3 || r.method().equals("broken")));

    TrainConfig other = config.withEpochs(2);
    trained.set(0);
    Comparison.run(
        data,
        Map.of("standard", methods.get("standard")),
        List.of(1L),
        other,
        0.1,
        600,
        (m, s) -> counting,
        dir,
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    assertEquals(2, trained.get(), "a run with other settings is not mistaken for a finished one");
  }

  @Test
  void divergedRunsAreFailuresOutsideTheStatisticsAndNaNRunsSavedEarlierAreTrainedAgain()
      throws Exception {
    ClassificationData data = TestSupport.embedded();
    Map<String, ModelSpec> methods = Map.of("none", mlp(784, "none"));
    TrainConfig diverging =
        TrainConfig.defaults().withEpochs(1).withOptimizer(new OptimizerSpec.Sgd(1e30f));
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    List<Comparison.Run> runs =
        Comparison.run(
            data,
            methods,
            List.of(1L, 2L),
            diverging,
            0.1,
            300,
            (m, s) -> ProgressListener.NONE,
            dir,
            new PrintStream(log, true, StandardCharsets.UTF_8));
    assertTrue(
        runs.stream()
            .allMatch(
                r -> r.failed() && r.error().startsWith("training diverged: the loss became NaN")),
        runs.toString());
    assertTrue(
        log.toString(StandardCharsets.UTF_8).contains("FAILED: none seed 1: training diverged"),
        log.toString(StandardCharsets.UTF_8));
    Comparison.Summary summary = Comparison.summarize(runs).get(0);
    assertEquals(0, summary.runs());
    assertEquals(2, summary.failed());
    assertEquals(
        0, PairedDifference.of(runs, runs).seeds(), "no diverged run is paired for the t-test");

    // A run an earlier version saved as finished although its test loss was NaN counts as not
    // finished.
    TrainConfig config = TrainConfig.defaults().withEpochs(1);
    Path saved =
        dir.resolve(
            SavedRuns.name(
                "none",
                methods.get("none"),
                config.withSeeds(RunSeeds.from(1)),
                0.1,
                300,
                data.description()));
    Files.writeString(
        saved,
        Json.MAPPER.writeValueAsString(
            new Comparison.Run("none", 1, Double.NaN, 0.1, 1, 1, List.of(), null)));
    List<Comparison.Run> again =
        Comparison.run(
            data,
            methods,
            List.of(1L),
            config,
            0.1,
            300,
            (m, s) -> ProgressListener.NONE,
            dir,
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    assertFalse(again.get(0).failed());
    assertEquals(1, again.get(0).history().size(), "trained again: one epoch recorded");
    assertTrue(Double.isFinite(again.get(0).testLoss()), again.toString());
    assertEquals(
        again.get(0).testLoss(),
        Json.MAPPER.readValue(saved.toFile(), Comparison.Run.class).testLoss(),
        "the saved run is replaced by the finished one");
  }

  @Test
  void aSeedTwiceIsRefused() {
    IllegalArgumentException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class,
            () ->
                Comparison.run(
                    TestSupport.embedded(),
                    Map.of("none", mlp(784, "none")),
                    List.of(1L, 1L),
                    TrainConfig.defaults(),
                    0.1,
                    300,
                    (m, s) -> ProgressListener.NONE,
                    null,
                    System.out));
    assertEquals(
        "seeds [1, 1] are not allowed: each seed may appear once (a repeated seed repeats the same run and "
            + "would count it twice in the statistics)",
        e.getMessage());
  }

  @Test
  void summariesUseTheSampleStandardDeviation() {
    List<Comparison.Run> runs =
        List.of(
            new Comparison.Run("m", 1, 0.5, 0.80, 3, 1, List.of(), null),
            new Comparison.Run("m", 2, 0.7, 0.90, 5, 1, List.of(), null));
    Comparison.Summary s = Comparison.summarize(runs).get(0);
    assertEquals(0.85, s.accuracyMean(), 1e-12);
    assertEquals(Math.sqrt(0.005), s.accuracyStd(), 1e-12);
    assertEquals(4, s.epochs());
    assertFalse(SummaryTables.table(List.of(s)).contains("failed"));
    assertEquals(
        "<table><tr><th>method</th><th>test accuracy</th><th>test loss</th><th>runs</th><th>failed</th>"
            + "<th>epochs</th><th>seconds/run</th></tr><tr><td>m</td><td>0.8500 ± 0.0707</td><td>0.6000 ± 0.1414</td>"
            + "<td>2</td><td>0</td><td>4</td><td>1.0</td></tr></table>",
        SummaryTables.html(List.of(s)));
    assertTrue(
        SummaryTables.html(
                Comparison.summarize(
                    List.of(new Comparison.Run("a<b", 1, 0.5, 0.8, 1, 1, List.of(), null))))
            .contains("<td>a&lt;b</td>"),
        "labels are escaped");
  }
}
