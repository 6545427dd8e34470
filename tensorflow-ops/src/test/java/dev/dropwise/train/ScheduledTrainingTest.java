package dev.dropwise.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dropwise.dropout.StandardDropout;
import dev.dropwise.model.LayerSpec;
import dev.dropwise.model.ModelSpec;
import dev.dropwise.schedule.ScheduleContext;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScheduledTrainingTest {
  @TempDir Path dir;

  @Test
  void theHistoryRecordsEachLayersScheduledRateAndTheMasksFollowIt() throws IOException {
    String method = "standard:p=adaptive(r0=0.6,alpha=0.5)";
    try (TrainingRun run = ImportanceGuidedTrainingTest.train(method, 3, TrainConfig.defaults())) {
      ModelSpec spec = TrainerTest.mlp(method, 64, 48);
      var schedule =
          ((StandardDropout) ((LayerSpec.Dropout) spec.layers().get(1)).method()).schedule();
      for (EpochRecord e : run.history().epochs()) {
        assertEquals(2, e.scheduledRates().size());
        for (int layer = 0; layer < 2; layer++) {
          double expected =
              schedule.rate(new ScheduleContext(e.epoch() - 1, 3, layer + 1, 2, List.of(), 0));
          assertEquals(
              expected,
              e.scheduledRates().get(layer),
              1e-6,
              "epoch " + e.epoch() + ", layer " + (layer + 1));
          // Each step drops about that fraction: Bernoulli over ~15 batches of 64 x (64 or 48)
          // units.
          assertEquals(
              expected, e.dropRates().get(layer), 0.01, "dropped fraction, epoch " + e.epoch());
        }
      }
      assertTrue(run.history().toTable().contains("rate"));
      assertTrue(
          run.history()
              .toCsv()
              .startsWith(
                  "epoch,step,train_loss,train_accuracy,validation_loss,"
                      + "validation_accuracy,seconds,drop_rate_1,drop_rate_2,scheduled_rate_1,scheduled_rate_2"));
    }
  }

  @Test
  void aScheduledSectorWiseLayerDropsRoundOfItsRateTimesNInEverySector() throws IOException {
    String method = "sector:n=8,p=adaptive(r0=0.6,alpha=0.5)";
    try (TrainingRun run = ImportanceGuidedTrainingTest.train(method, 3, TrainConfig.defaults())) {
      for (EpochRecord e : run.history().epochs()) {
        assertEquals(2, e.scheduledRates().size());
        for (int layer = 0; layer < 2; layer++) {
          // 64 and 48 units: whole sectors of 8, each dropping exactly m at every step.
          double m = Math.floor((float) (double) e.scheduledRates().get(layer) * 8 + 0.5);
          assertTrue(m >= 1, "the schedule's rate drops units here: m = " + m);
          assertEquals(
              m / 8,
              e.dropRates().get(layer),
              1e-6,
              "dropped fraction, epoch " + e.epoch() + ", layer " + (layer + 1));
        }
      }
    }
  }

  @Test
  void aResumedIntegratedScheduleEndsWhereAnUninterruptedOneDoes() throws IOException {
    String method = "scheduled:schedule=integrated,of=adaptive+contextual+curriculum,eta=20";
    Path checkpoints = dir.resolve("ckpt");
    TrainConfig config = TrainConfig.defaults().withSeeds(RunSeeds.from(2));
    // A 4-epoch training interrupted after its second checkpoint (the schedules depend on the
    // planned epochs, so the interrupted run must have planned the same four).
    ProgressListener interrupt =
        new ProgressListener() {
          @Override
          public void onEpochEnd(EpochRecord record, int epochs) {
            if (record.epoch() == 3) {
              throw new IllegalStateException("interrupted");
            }
          }
        };
    ModelSpec spec = TrainerTest.mlp(method, 64, 48);
    var data = TrainerTest.split(1000, config.seeds().shuffle());
    assertEquals(
        "interrupted",
        org.junit.jupiter.api.Assertions.assertThrows(
                IllegalStateException.class,
                () ->
                    Trainer.train(
                        spec,
                        data.train(),
                        data.validation(),
                        config.withEpochs(4).withCheckpoints(checkpoints, false),
                        interrupt))
            .getMessage());
    assertEquals(
        2,
        Checkpoints.latestIn(TrainerTest.onlyRunDirectory(checkpoints)).orElseThrow().epochsDone());
    try (TrainingRun resumed =
            ImportanceGuidedTrainingTest.train(
                method, 4, config.withCheckpoints(checkpoints, true));
        TrainingRun whole = ImportanceGuidedTrainingTest.train(method, 4, config)) {
      assertEquals(
          whole.history().epochs().stream().map(EpochRecord::scheduledRates).toList(),
          resumed.history().epochs().stream().map(EpochRecord::scheduledRates).toList(),
          "the efficacy weights are rebuilt from the history: the same rates follow");
      List<float[]> expected = whole.model().weights();
      for (int i = 0; i < expected.size(); i++) {
        assertArrayEquals(expected.get(i), resumed.model().weights().get(i));
      }
    }
  }
}
