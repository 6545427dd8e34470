package dev.dropwise.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dropwise.data.Dataset;
import dev.dropwise.dropout.DropoutSpec;
import dev.dropwise.export.SavedModelExport;
import dev.dropwise.export.ServingModel;
import dev.dropwise.model.Architecture;
import dev.dropwise.model.LayerSpec;
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
import org.junit.jupiter.params.provider.CsvSource;

/** Small CNNs trained end to end: BatchNorm's two modes, export, and dropout on feature maps. */
class ConvTrainingTest {
  @TempDir Path dir;

  static ModelSpec cnn(String layers, String dropout, String featureDropout) {
    return Architecture.parse(layers)
        .build(
            FeatureShape.map(28, 28, 1),
            10,
            Activation.RELU,
            Initializer.HE_UNIFORM,
            DropoutSpec.parse(dropout),
            DropoutSpec.parse(featureDropout));
  }

  static TrainingRun train(ModelSpec spec, int examples, int epochs) throws IOException {
    TrainConfig config =
        TrainConfig.defaults().withEpochs(epochs).withOptimizer(new OptimizerSpec.Adam(0.001f));
    Dataset.Split data = TrainerTest.split(examples, config.seeds().shuffle());
    return Trainer.train(spec, data.train(), data.validation(), config, ProgressListener.NONE);
  }

  @Test
  void layersTextBuildsTheModelWithDropoutWhereItApplies() {
    ModelSpec spec = cnn("conv:32x3,pool:2,conv:64x3,pool:2,dense:256", "dropblock:p=0.1", "none");
    assertEquals("28x28x1-conv32k3-pool2-conv64k3-pool2-256-10", spec.widths());
    List<String> kinds = spec.layers().stream().map(l -> l.getClass().getSimpleName()).toList();
    assertEquals(
        List.of(
            "Conv2D", "MaxPool", "Dropout", "Conv2D", "MaxPool", "Dropout", "Flatten", "Dense",
            "Dense"),
        kinds,
        "a structured method goes after each convolutional block; none after the Dense layer");
    ModelSpec both = cnn("conv:8x3,bn,pool:2,dense:32", "standard:p=0.5", "lrp:p=0.2");
    assertEquals(
        List.of(
            "Conv2D", "BatchNorm", "MaxPool", "Dropout", "Flatten", "Dense", "Dropout", "Dense"),
        both.layers().stream().map(l -> l.getClass().getSimpleName()).toList());
    assertEquals(14 * 14 * 8, both.inputShape(4).size());
    ModelSpec mlp =
        Architecture.parse("64,bn,32")
            .build(
                FeatureShape.flat(784),
                10,
                Activation.RELU,
                Initializer.HE_UNIFORM,
                DropoutSpec.parse("standard:p=0.5"),
                DropoutSpec.parse("none"));
    assertEquals(
        List.of("Dense", "BatchNorm", "Dropout", "Dense", "Dropout", "Dense"),
        mlp.layers().stream().map(l -> l.getClass().getSimpleName()).toList(),
        "bn normalises its Dense layer, before the dropout");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                Architecture.parse("64")
                    .build(
                        FeatureShape.flat(784),
                        10,
                        Activation.RELU,
                        Initializer.HE_UNIFORM,
                        DropoutSpec.parse("none"),
                        DropoutSpec.parse("spatial")));
    assertTrue(e.getMessage().contains("needs convolutional layers"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Architecture.parse("conv:32,pool:2"));
    assertTrue(
        e.getMessage().contains("'conv:32'") && e.getMessage().contains("FILTERSxSIZE[sSTRIDE]"),
        e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new ModelSpec(
                    784,
                    List.of(
                        new LayerSpec.MaxPool(2),
                        new LayerSpec.Dense(10, Activation.LINEAR, Initializer.GLOROT_UNIFORM))));
    assertTrue(e.getMessage().contains("needs a feature map"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Architecture.parse("conv:8x3,pool:2,dense:16").input(785, null));
    assertEquals(
        "layers conv:8x3,pool:2,dense:16: they are convolutional but the data's 785 features are not a square "
            + "image; give the image shape HEIGHTxWIDTHxCHANNELS",
        e.getMessage(),
        "the core names its parameter, not a flag");
  }

  @Test
  void aCnnWithBatchNormLearnsAndItsExportReproducesTheInferenceGraph() throws Exception {
    ModelSpec spec =
        cnn("conv:8x3,bn,pool:2,conv:16x3,bn,pool:2,dense:32", "dropblock:p=0.1,block=3", "none");
    Path model = dir.resolve("cnn");
    Dataset test = TestSupport.embedded().test().head(200);
    float[] expected;
    try (TrainingRun run = train(spec, 1500, 2)) {
      EpochRecord last = run.history().epochs().get(1);
      // Well above chance (0.1), with room for the kernels a CPU picks: with oneDNN capped at AVX2
      // an AMD EPYC ends these two epochs at exactly 0.6, an Intel Xeon above it.
      assertTrue(
          last.validationAccuracy() > 0.5, "a small CNN learns: " + last.validationAccuracy());
      assertEquals(2, last.dropRates().size(), "one dropped fraction per DropBlock layer");
      for (double rate : last.dropRates()) {
        assertTrue(rate > 0.03 && rate < 0.1, "DropBlock drops a little under p = 0.1: " + rate);
      }
      // BatchNorm's moving averages moved off their initial (0, 1) during training.
      List<float[]> weights = run.model().weights();
      float[] movingMean = weights.get(4);
      float[] movingVariance = weights.get(5);
      assertEquals(8, movingMean.length);
      assertTrue(maxAbs(movingMean) > 1e-3, "moving mean was updated");
      boolean varianceMoved = false;
      for (float v : movingVariance) {
        varianceMoved |= Math.abs(v - 1) > 1e-3;
      }
      assertTrue(varianceMoved, "moving variance was updated");
      expected = run.model().logits(test, 200, false, 0);
      // Inference (BatchNorm on moving averages) gives each example the same logits alone or in a
      // batch.
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
      assertTrue(
          serving.hasMonteCarlo(),
          "DropBlock draws from the seed alone: the export carries mc_dropout");
      var mc = serving.predictMonteCarlo(test.features(), 20, 5);
      assertTrue(maxAbs(mc.std()) > 1e-4, "Monte Carlo DropBlock varies across samples");
      assertEquals(
          spec.withoutDropout(),
          serving.network(),
          "the export records its network and reads it back");
    }
  }

  /**
   * BatchNorm's moving averages and the feature-map methods' state survive a checkpoint: a resumed
   * run ends where an uninterrupted one does.
   */
  @Test
  void aCnnWithBatchNormResumesExactly() throws IOException {
    ModelSpec spec = cnn("conv:4x3,bn,pool:2,dense:16,bn", "standard:p=0.3", "lrp:p=0.2");
    TrainerTest.ResumedAndWhole runs =
        TrainerTest.resumedAndWhole(spec, dir.resolve("ckpt"), 400, 5);
    assertEquals(
        6 + 6 + 2,
        runs.whole().size(),
        "conv and dense 16: kernel, bias, gamma, beta, moving mean, moving variance; output: kernel, bias");
    runs.assertSame();
  }

  private static float maxAbs(float[] v) {
    float m = 0;
    for (float f : v) {
      m = Math.max(m, Math.abs(f));
    }
    return m;
  }

  /**
   * Channel importance: the importance-guided methods on convolutional blocks, at their expected
   * rates.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "lrp-official:p=0.5  | 0.5   | 1e-9", // exactly half of the 8 and 16 channels per batch
        "lrp:p=0.35          | 0.35  | 0.05",
        "pfid:alpha=0.5      | 0.5   | 0.05",
        "ydrop:alpha=0.01,K=1| 0.389 | 0.06",
        "spatially-aware:p=0.2 | 0.2 | 0.03",
        "spatial:p=0.25      | 0.25  | 0.05",
      })
  void dropoutOnFeatureMapsTrainsAtItsExpectedRate(String method, double expected, double tolerance)
      throws IOException {
    ModelSpec model = cnn("conv:8x3,pool:2,conv:16x3,pool:2,dense:32", "none", method);
    try (TrainingRun run = train(model, 800, 2)) {
      ImportanceGuidedTrainingTest.assertSecondEpochDropsAt(run, 2, expected, tolerance, method);
    }
  }

  @Test
  void noDropoutCnnIsUnchangedByTheTrainingSwitch() throws IOException {
    ModelSpec spec = cnn("conv:4x3,pool:2,dense:16", "none", "none");
    assertTrue(spec.layers().stream().noneMatch(l -> l instanceof LayerSpec.Dropout));
    try (TrainingRun run = train(spec, 300, 1)) {
      Dataset test = TestSupport.embedded().test().head(30);
      assertArrayEquals(
          run.model().logits(test, 30, false, 0),
          run.model().logits(test, 30, true, 5),
          "without dropout or BatchNorm the switch changes nothing");
    }
  }
}
