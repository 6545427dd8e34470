package dev.dropwise.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dropwise.data.Dataset;
import dev.dropwise.data.Preprocessing;
import dev.dropwise.dropout.DropoutContext;
import dev.dropwise.dropout.DropoutSpec;
import dev.dropwise.dropout.FrozenDropout;
import dev.dropwise.export.MonteCarlo;
import dev.dropwise.export.SavedModelExport;
import dev.dropwise.export.ServingModel;
import dev.dropwise.model.Architecture;
import dev.dropwise.model.LayerSpec;
import dev.dropwise.model.ModelSpec;
import dev.dropwise.network.Activation;
import dev.dropwise.network.FeatureShape;
import dev.dropwise.network.Initializer;
import dev.dropwise.ops.DropoutOps;
import dev.dropwise.util.Json;
import dev.dropwise.util.Tensors;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;

/**
 * Frozen Monte Carlo dropout: the op drops each unit at its rate and scales it by its scale; the
 * rates measured at the end of training are the ones the last epoch dropped at; an export made with
 * them samples importance-guided dropout.
 */
class FrozenDropoutTest {
  @TempDir Path dir;

  @Test
  void eachUnitIsDroppedAtItsRateAndKeptAtItsScale() {
    float[] rates = {0f, 0.1f, 0.5f, 0.9f, 1f};
    float[] scales = {1f, 1.1f, 2f, 10f, 0f};
    FrozenDropout frozen = new FrozenDropout(DropoutSpec.parse("ydrop"), rates, scales);
    int rows = 8000;
    int width = rates.length;
    float[] x = new float[rows * width];
    for (int i = 0; i < x.length; i++) {
      x[i] = 1 + i % 7; // nonzero, so that a dropped unit shows as 0
    }
    for (boolean training : new boolean[] {true, false}) {
      float[] out;
      try (Graph g = new Graph();
          Session s = new Session(g)) {
        Ops tf = Ops.create(g);
        Placeholder<TFloat32> in =
            tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, width)));
        Operand<TBool> on = tf.constant(training);
        DropoutContext ctx =
            DropoutContext.standalone(tf, on, DropoutOps.create(tf).seed(5, 0, tf.constant(3L)));
        Operand<TFloat32> y = frozen.apply(ctx, in).output();
        try (TFloat32 t = TFloat32.tensorOf(Shape.of(rows, width), DataBuffers.of(x));
            Result r = s.runner().feed(in, t).fetch(y).run()) {
          out = Tensors.toArray((TFloat32) r.get(0));
        }
      }
      if (!training) {
        assertArrayEquals(x, out, "off training: the identity");
        continue;
      }
      for (int u = 0; u < width; u++) {
        int dropped = 0;
        for (int i = 0; i < rows; i++) {
          float v = out[i * width + u];
          if (v == 0) {
            dropped++;
          } else {
            assertEquals(x[i * width + u] * scales[u], v, 1e-6, "a kept unit is scaled");
          }
        }
        double se = Math.sqrt(rates[u] * (1 - rates[u]) / rows);
        assertEquals(rates[u], dropped / (double) rows, 5 * se + 1e-12, "unit " + u);
      }
    }
  }

  @Test
  void theMeasuredRatesAreTheLastEpochsAndTheExportSamplesThem() throws Exception {
    try (TrainingRun run = ImportanceGuidedTrainingTest.train("ydrop", 2, TrainConfig.defaults())) {
      MonteCarloLayers layers = run.monteCarloLayers();
      assertEquals(Map.of(), layers.unsampled());
      assertEquals(List.of(1, 3), List.copyOf(layers.sampledAs().keySet()), "both dropout layers");
      List<Double> lastEpoch = run.history().epochs().get(1).dropRates();
      int l = 0;
      for (DropoutSpec spec : layers.sampledAs().values()) {
        FrozenDropout f = (FrozenDropout) spec;
        double mean = 0;
        float lowest = 1;
        float highest = 0;
        for (int u = 0; u < f.rates().length; u++) {
          float r = f.rates()[u];
          mean += r / f.rates().length;
          assertTrue(r == 1 || f.scales()[u] > 0, "a unit ever kept has a scale");
          lowest = Math.min(lowest, r);
          highest = Math.max(highest, r);
        }
        // Y-Drop's rate is not fixed by construction (0.389 expected,
        // ImportanceGuidedTrainingTest):
        // measured two ways, the epoch's mean dropped fraction per step and the per-unit counts
        // over 900 examples after it, at the same weights.
        assertEquals(lastEpoch.get(l++), mean, 0.02, f.original().text());
        assertTrue(highest - lowest > 0.3, "Y-Drop's rates differ from unit to unit");
      }
      assertEquals(layers, run.monteCarloLayers(), "the same examples, the same rates");

      Path export = export(run, layers, "ydrop");
      JsonNode recorded =
          Json.MAPPER
              .readTree(export.resolve(SavedModelExport.METADATA).toFile())
              .get("monteCarloSampledAs");
      assertTrue(
          recorded.get("dropout_1").asText().startsWith("ydrop: per-unit rates as training"),
          recorded.toString());
      Dataset test = TrainerTest.split(1000, 1).validation().head(50);
      try (ServingModel serving = ServingModel.load(export)) {
        assertTrue(serving.hasMonteCarlo(), "importance-guided dropout, sampled frozen");
        MonteCarlo mc = serving.predictMonteCarlo(test.features(), test.size(), 12);
        assertArrayEquals(
            mc.mean(),
            serving.predictMonteCarloPassByPass(test.features(), test.size(), 12).mean(),
            "ten per call, one per call");
        assertTrue(serving.sharesMasksInOneRun(), "frozen rates multiply flat units");
        assertArrayEquals(
            serving.predictMonteCarloExampleByExample(test.features(), test.size(), 12).mean(),
            serving
                .predictMonteCarlo(
                    test.features(), test.size(), 12, MonteCarlo.Masks.SHARED, done -> {})
                .mean(),
            1e-6f,
            "shared masks: one run for the batch, each example alone");
        double agreeing = 0;
        for (float s : mc.std()) {
          agreeing += s < 1e-6 ? 1 : 0;
        }
        assertTrue(agreeing < mc.std().length / 2.0, "most probabilities vary across passes");
      }
    }
  }

  /** A scheduled layer is sampled at its schedule's last rate, exactly. */
  @Test
  void aScheduledLayerIsSampledAtItsLastRate() throws Exception {
    try (TrainingRun run =
        ImportanceGuidedTrainingTest.train(
            "gaussian:p=curriculum(r=0.5)", 3, TrainConfig.defaults())) {
      MonteCarloLayers layers = run.monteCarloLayers();
      double last = run.history().epochs().get(2).scheduledRates().get(0);
      assertEquals(
          new dev.dropwise.dropout.GaussianDropout((float) last), layers.sampledAs().get(1));
      assertEquals(Map.of(), layers.unsampled());
    }
  }

  /**
   * A layer whose masks are not counted per unit (DropConnect masks the kernel) has no stand-in:
   * the export then has no Monte Carlo passes, and says why, rather than sampling the other layers
   * alone.
   */
  @Test
  void aLayerWithoutUnitMasksLeavesTheExportWithoutPassesAndSaysWhy() throws Exception {
    ModelSpec spec =
        new ModelSpec(
            FeatureShape.flat(784),
            List.of(
                new LayerSpec.Dense(32, Activation.RELU, Initializer.HE_UNIFORM),
                new LayerSpec.Dropout(DropoutSpec.parse("ydrop")),
                new LayerSpec.Dense(32, Activation.RELU, Initializer.HE_UNIFORM),
                new LayerSpec.Dropout(DropoutSpec.parse("dropconnect")),
                new LayerSpec.Dense(10, Activation.LINEAR, Initializer.GLOROT_UNIFORM)));
    Dataset.Split data = TrainerTest.split(300, 1);
    try (TrainingRun run = oneEpoch(spec, data)) {
      MonteCarloLayers layers = run.monteCarloLayers();
      assertEquals(List.of(3), List.copyOf(layers.unsampled().keySet()), "DropConnect's layer");
      assertEquals(Map.of(), layers.forExport(), "no passes rather than some layers alone");
      List<String> lines = layers.lines(spec);
      assertEquals(1, lines.size(), lines.toString());
      assertTrue(
          lines.get(0).startsWith("no Monte Carlo dropout in the export: dropout_1 (dropconnect")
              && lines.get(0).contains("cannot be sampled at inference"),
          lines.get(0));
    }
  }

  /** After a convolution a method's units are its view's: channels or every value of the map. */
  @Test
  void featureMapDropoutIsFrozenPerUnitOfItsView() throws Exception {
    ModelSpec spec =
        Architecture.parse("conv:4x3,pool:2,flatten,32")
            .build(
                FeatureShape.map(28, 28, 1),
                10,
                Activation.RELU,
                Initializer.HE_UNIFORM,
                DropoutSpec.parse("standard:p=0.3"),
                DropoutSpec.parse("ydrop"));
    Dataset.Split data = TrainerTest.split(300, 1);
    try (TrainingRun run = oneEpoch(spec, data)) {
      MonteCarloLayers layers = run.monteCarloLayers();
      assertEquals(Map.of(), layers.unsampled());
      FrozenDropout f = (FrozenDropout) layers.sampledAs().values().iterator().next();
      assertEquals(
          f.original().featureMapUnits().width(FeatureShape.map(14, 14, 4)), f.rates().length);
      Path export = export(run, layers, "conv");
      try (ServingModel serving = ServingModel.load(export)) {
        Dataset test = data.validation().head(20);
        MonteCarlo mc = serving.predictMonteCarlo(test.features(), test.size(), 10);
        assertEquals(20 * 10, mc.mean().length);
      }
    }
  }

  /** {@code spec} trained one epoch on {@code data}. */
  private static TrainingRun oneEpoch(ModelSpec spec, Dataset.Split data) throws Exception {
    return Trainer.train(
        spec,
        data.train(),
        data.validation(),
        TrainConfig.defaults().withEpochs(1),
        ProgressListener.NONE);
  }

  /** {@code run} exported to {@code name} with {@code layers}' Monte Carlo stand-ins. */
  private Path export(TrainingRun run, MonteCarloLayers layers, String name) throws Exception {
    Path export = dir.resolve(name);
    SavedModelExport.export(
        run.model(),
        export,
        Preprocessing.NONE,
        dev.dropwise.data.ClassificationData.indexNames(10),
        1,
        List.of(),
        layers.forExport());
    return export;
  }
}
