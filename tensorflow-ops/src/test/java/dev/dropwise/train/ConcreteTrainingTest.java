package dev.dropwise.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dropwise.data.ClassificationData;
import dev.dropwise.data.Dataset;
import dev.dropwise.data.Preprocessing;
import dev.dropwise.dropout.StandardDropout;
import dev.dropwise.export.SavedModelExport;
import dev.dropwise.export.ServingModel;
import dev.dropwise.util.Json;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Concrete dropout in a model: its rates are learned (they move, and the history's dropped share
 * follows them), training resumes exactly, and an export samples standard dropout at the learned
 * rates.
 */
class ConcreteTrainingTest {
  @TempDir Path dir;

  static final String METHOD = "concrete:p=0.1,weight=1e-4,dropout=1e-3";

  @Test
  void theRatesAreLearnedAndTheExportSamplesThem() throws Exception {
    try (TrainingRun run = ImportanceGuidedTrainingTest.train(METHOD, 2, TrainConfig.defaults())) {
      Map<Integer, Double> learned = run.model().learnedRates();
      assertEquals(List.of(1, 3), List.copyOf(learned.keySet()), "both dropout layers");
      List<Double> dropped = run.history().epochs().get(1).dropRates();
      int l = 0;
      for (double p : learned.values()) {
        assertTrue(p > 0 && p < 1, "a rate: " + p);
        assertTrue(Math.abs(p - 0.1) > 1e-4, "learned, not left at the start: " + p);
        // The relaxed mask drops a value with probability p (ConcreteDropoutTest): the history's
        // share of the last epoch follows the rate as it moved through that epoch.
        assertEquals(p, dropped.get(l++), 0.03, "epoch 2's dropped share against p");
      }
      MonteCarloLayers layers = run.monteCarloLayers();
      assertEquals(
          new StandardDropout(Math.round(learned.get(1) * 1e6) / 1e6), layers.sampledAs().get(1));
      assertEquals(Map.of(), layers.unsampled());
      Path export = dir.resolve("concrete");
      SavedModelExport.export(
          run.model(),
          export,
          Preprocessing.NONE,
          ClassificationData.indexNames(10),
          1,
          List.of(),
          layers.forExport());
      String recorded =
          Json.MAPPER
              .readTree(export.resolve(SavedModelExport.METADATA).toFile())
              .get("monteCarloSampledAs")
              .toString();
      assertTrue(
          recorded.contains(
              dev.dropwise.dropout.DropoutSpec.parse(METHOD).text() + ": sampled as standard:p=0."),
          recorded);
      Dataset test = TrainerTest.split(1000, 1).validation().head(30);
      try (ServingModel serving = ServingModel.load(export)) {
        assertTrue(serving.hasMonteCarlo());
        assertEquals(300, serving.predictMonteCarlo(test.features(), 30, 10).mean().length);
      }
    }
  }

  /** Two epochs at once, and one then another resumed from its checkpoint: the same run. */
  @Test
  void trainingResumesExactlyWithTheLearnedRates() throws Exception {
    TrainConfig config = TrainConfig.defaults();
    Path checkpoints = dir.resolve("ckpt");
    try (TrainingRun whole = ImportanceGuidedTrainingTest.train(METHOD, 2, config)) {
      ImportanceGuidedTrainingTest.train(METHOD, 1, config.withCheckpoints(checkpoints, false))
          .close();
      try (TrainingRun resumed =
          ImportanceGuidedTrainingTest.train(
              METHOD, 2, config.withCheckpoints(checkpoints, true))) {
        assertTrue(resumed.resumed());
        assertEquals(whole.model().learnedRates(), resumed.model().learnedRates());
        List<float[]> expected = whole.model().weights();
        List<float[]> actual = resumed.model().weights();
        for (int i = 0; i < expected.size(); i++) {
          assertArrayEquals(expected.get(i), actual.get(i), "weights " + i);
        }
        assertEquals(
            whole.history().epochs().get(1).trainLoss(),
            resumed.history().epochs().get(1).trainLoss());
      }
    }
  }

  /**
   * After a convolution (feature dropout, units every value of the map) and after a Dense layer
   * alike: rates learned and sampled in the export.
   */
  @Test
  void aConvolutionalModelLearnsARatePerDropoutLayer() throws Exception {
    dev.dropwise.model.ModelSpec spec =
        dev.dropwise.model.Architecture.parse("conv:4x3,pool:2,flatten,32")
            .build(
                dev.dropwise.network.FeatureShape.map(28, 28, 1),
                10,
                dev.dropwise.network.Activation.RELU,
                dev.dropwise.network.Initializer.HE_UNIFORM,
                dev.dropwise.dropout.DropoutSpec.parse(METHOD),
                dev.dropwise.dropout.DropoutSpec.parse(METHOD));
    Dataset.Split data = TrainerTest.split(300, 1);
    try (TrainingRun run =
        Trainer.train(
            spec,
            data.train(),
            data.validation(),
            TrainConfig.defaults().withEpochs(1),
            ProgressListener.NONE)) {
      Map<Integer, Double> learned = run.model().learnedRates();
      assertEquals(2, learned.size(), "the feature dropout and the Dense layer's dropout");
      MonteCarloLayers layers = run.monteCarloLayers();
      assertEquals(Map.of(), layers.unsampled());
      learned.forEach(
          (layer, p) ->
              assertEquals(
                  new StandardDropout(Math.round(p * 1e6) / 1e6), layers.sampledAs().get(layer)));
    }
  }
}
