package dev.dropwise.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dropwise.data.Dataset;
import dev.dropwise.dropout.DropoutSpec;
import dev.dropwise.dropout.NoDropout;
import dev.dropwise.export.SavedModelExport;
import dev.dropwise.export.ServingModel;
import dev.dropwise.model.Architecture;
import dev.dropwise.model.ModelSpec;
import dev.dropwise.network.Activation;
import dev.dropwise.network.FeatureShape;
import dev.dropwise.network.Initializer;
import dev.dropwise.testing.TestSupport;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Recurrent models trained end to end on Fashion-MNIST read row by row (28 steps of 28 pixels):
 * they learn, their export reproduces the trained graph's logits, and a run resumed from its
 * checkpoint ends where an uninterrupted one does.
 */
class RecurrentTrainingTest {
  @TempDir Path dir;

  static ModelSpec recurrent(String layers, String dropout) {
    return Architecture.parse(layers)
        .build(
            FeatureShape.sequence(28, 28),
            10,
            Activation.RELU,
            Initializer.HE_UNIFORM,
            DropoutSpec.parse(dropout),
            new NoDropout());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "lstm:32",
        "lstm(units=32,input=standard(p=0.1),state=standard(p=0.2),zoneout=0.1)"
      })
  void anLstmLearnsAndItsExportReproducesTheTrainedLogits(String layers) throws Exception {
    ModelSpec spec = recurrent(layers, "standard:p=0.2");
    assertEquals(
        layers.contains("(")
            ? "28x28-lstm32(input=standard(p=0.1),state=standard(p=0.2),zoneout=0.1)-10"
            : "28x28-lstm32-10",
        spec.widths());
    assertEquals(
        layers.contains("(")
            ? "lstm_0: input=standard(p=0.1),state=standard(p=0.2),zoneout=0.1 / standard:p=0.2"
            : "standard:p=0.2",
        spec.dropoutText());
    Path model = dir.resolve("lstm");
    Dataset test = TestSupport.embedded().test().head(200);
    float[] expected;
    TrainConfig config =
        TrainConfig.defaults().withEpochs(2).withOptimizer(new OptimizerSpec.Adam(0.005f));
    Dataset.Split data = TrainerTest.split(1500, config.seeds().shuffle());
    try (TrainingRun run =
        Trainer.train(spec, data.train(), data.validation(), config, ProgressListener.NONE)) {
      EpochRecord last = run.history().epochs().get(1);
      assertTrue(
          last.validationAccuracy() > 0.5, "a small LSTM learns: " + last.validationAccuracy());
      expected = run.model().logits(test, 200, false, 0);
      float[] alone = run.model().logits(test.head(1), 1, false, 0);
      for (int c = 0; c < 10; c++) {
        assertEquals(expected[c], alone[c], 1e-4, "inference does not depend on the batch");
      }
      SavedModelExport.export(run.model(), model);
    }
    try (ServingModel serving = ServingModel.load(model)) {
      float[] logits = serving.predict(test.features(), 200).logits();
      for (int i = 0; i < logits.length; i++) {
        assertEquals(
            expected[i],
            logits[i],
            1e-4 * (1 + Math.abs(expected[i])),
            "serving_default = the trained graph at inference");
      }
      assertTrue(serving.hasMonteCarlo(), "standard dropout after the LSTM: mc_dropout exported");
      var mc = serving.predictMonteCarlo(test.features(), 20, 5);
      assertTrue(maxAbs(mc.std()) > 1e-4, "Monte Carlo passes differ");
      assertEquals(
          spec.withoutDropout(),
          serving.network(),
          "the export records its sequence input and layers and reads them back");
    }
  }

  @Test
  void stackedRecurrentLayersResumeExactly() throws IOException {
    ModelSpec spec =
        recurrent(
            "gru(units=8,return=seq,zoneout=0.1),lstm(units=8,state=ydrop)", "standard:p=0.3");
    TrainerTest.ResumedAndWhole runs =
        TrainerTest.resumedAndWhole(spec, dir.resolve("ckpt"), 300, 5);
    List<float[]> weights = runs.whole();
    assertTrue(
        runs.history().epochs().get(1).trainLoss() < runs.history().epochs().get(0).trainLoss(),
        "it learns");
    assertEquals(3 + 3 + 2, weights.size(), "GRU and LSTM: kernel, recurrent kernel, bias");
    assertEquals(28 * 3 * 8, weights.get(0).length, "the GRU's kernel [28, 3·8]");
    assertEquals(2 * 3 * 8, weights.get(2).length, "the GRU's bias [2, 3·8]");
    assertEquals(8 * 4 * 8, weights.get(4).length, "the LSTM's recurrent kernel [8, 4·8]");
    runs.assertSame();
  }

  /**
   * The importance-guided methods on an LSTM's state, ranking its units by LRP through the cell
   * (Arras's rules) or by conductance summed over the steps: each trains, and a model that cannot
   * draw their masks from a seed exports no Monte Carlo signature rather than a wrong one.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"lrp", "lrp-official", "pfid", "ydrop:K=0"})
  void theImportanceGuidedMethodsRunOnTheState(String method) throws Exception {
    ModelSpec spec =
        recurrent(
            "lstm(units=8,state="
                + method.replace(":", "(")
                + (method.contains(":") ? ")" : "")
                + ")",
            "none");
    TrainConfig config =
        TrainConfig.defaults().withEpochs(2).withOptimizer(new OptimizerSpec.Adam(0.01f));
    Dataset.Split data = TrainerTest.split(300, config.seeds().shuffle());
    Path model = dir.resolve("state-" + method.replace(':', '-').replace('=', '-'));
    try (TrainingRun run =
        Trainer.train(spec, data.train(), data.validation(), config, ProgressListener.NONE)) {
      List<EpochRecord> epochs = run.history().epochs();
      assertTrue(
          Double.isFinite(epochs.get(1).trainLoss())
              && epochs.get(1).trainLoss() < epochs.get(0).trainLoss(),
          method + " learns: " + epochs);
      assertEquals(
          java.util.Set.of(0),
          run.monteCarloLayers().unsampled().keySet(),
          "the LSTM is named as the layer Monte Carlo passes cannot sample");
      SavedModelExport.export(run.model(), model);
    }
    try (ServingModel serving = ServingModel.load(model)) {
      assertTrue(!serving.hasMonteCarlo(), "masks from importance: no mc_dropout");
    }
  }

  private static float maxAbs(float[] v) {
    float m = 0;
    for (float f : v) {
      m = Math.max(m, Math.abs(f));
    }
    return m;
  }
}
