package dev.dropwise.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dropwise.data.Dataset;
import dev.dropwise.model.ModelSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

public class ImportanceGuidedTrainingTest {
  @TempDir Path dir;

  /** A 784-64-48-10 MLP with {@code dropout} trained on 900 embedded examples. */
  public static TrainingRun train(String dropout, int epochs, TrainConfig base) throws IOException {
    ModelSpec spec = TrainerTest.mlp(dropout, 64, 48);
    TrainConfig config = base.withEpochs(epochs);
    Dataset.Split data = TrainerTest.split(1000, config.seeds().shuffle());
    return Trainer.train(spec, data.train(), data.validation(), config, ProgressListener.NONE);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        // method                         | expected mean dropped fraction in epoch 2 | tolerance
        "lrp-official:p=0.5               | 0.5      | 1e-9", // exactly k = 32 of 64 and 24 of 48
        // per batch
        "lrp-official:p=0.25,select=low   | 0.25     | 1e-9",
        "lrp:p=0.35                       | 0.35     | 0.02", // per-unit rates with mean exactly p
        "pfid:alpha=0.5                   | 0.5      | 0.02", // calibrated to mean 0.5
        "ydrop:alpha=0.01,K=1             | 0.389    | 0.03", // 0.5 E[p_H] + 0.5 E[p_L] = 0.5
        // (0.640 + 0.140)
      })
  void eachMethodTrainsAndDropsAtItsExpectedRate(String method, double expected, double tolerance)
      throws IOException {
    try (TrainingRun run = train(method, 2, TrainConfig.defaults())) {
      assertSecondEpochDropsAt(run, 2, expected, tolerance, method);
    }
  }

  /**
   * The second epoch trained (loss finite, under ln 10) and each of its {@code layers} dropout
   * layers dropped {@code expected}.
   */
  static void assertSecondEpochDropsAt(
      TrainingRun run, int layers, double expected, double tolerance, String method) {
    EpochRecord second = run.history().epochs().get(1);
    assertEquals(layers, second.dropRates().size(), "one rate per dropout layer");
    for (double rate : second.dropRates()) {
      assertEquals(expected, rate, tolerance, method);
    }
    assertTrue(
        Double.isFinite(second.trainLoss()) && second.trainLoss() < 2.3,
        "loss " + second.trainLoss());
  }

  @Test
  void yDropAnnealsWithVanillaDropoutAtP0First() throws IOException {
    try (TrainingRun run = train("ydrop:alpha=0.01,K=1", 2, TrainConfig.defaults())) {
      assertEquals(0.35, run.history().epochs().get(0).dropRates().get(0), 0.02);
    }
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "ydrop:alpha=0.05,K=1",
        "lrp",
        "pfid:update=epoch",
        "gaussian:p=0.3",
        "sector:n=8,p=curriculum(r=0.5)"
      })
  void statefulMethodsAreDeterministicAndResumeExactly(String method) throws IOException {
    Path checkpoints = dir.resolve("ckpt");
    TrainConfig config = TrainConfig.defaults().withSeeds(RunSeeds.from(7));
    try (TrainingRun first = train(method, 2, config.withCheckpoints(checkpoints, false))) {
      assertEquals(2, first.history().size());
    }
    try (TrainingRun resumed = train(method, 3, config.withCheckpoints(checkpoints, true));
        TrainingRun whole = train(method, 3, config)) {
      assertTrue(resumed.resumed());
      assertEquals(TrainerTest.losses(whole.history()), TrainerTest.losses(resumed.history()));
      List<float[]> expected = whole.model().weights();
      List<float[]> actual = resumed.model().weights();
      for (int i = 0; i < expected.size(); i++) {
        assertArrayEquals(expected.get(i), actual.get(i), method + ", variable " + i);
      }
    }
  }
}
