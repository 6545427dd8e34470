package dev.dropwise.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
    try (TrainingRun run =
        ImportanceGuidedTrainingTest.train("lrp:p=0.35", 2, TrainConfig.defaults())) {
      Dataset train = TrainerTest.split(1000, TrainConfig.defaults().seeds().shuffle()).train();
      Map<Integer, FrozenDropout> frozen = run.frozenDropout(train);
      assertEquals(2, frozen.size(), "both dropout layers");
      List<Double> lastEpoch = run.history().epochs().get(1).dropRates();
      int l = 0;
      for (FrozenDropout f : frozen.values()) {
        double mean = 0;
        float lowest = 1;
        float highest = 0;
        for (int u = 0; u < f.rates().length; u++) {
          float r = f.rates()[u];
          mean += r / f.rates().length;
          lowest = Math.min(lowest, r);
          highest = Math.max(highest, r);
          assertTrue(f.scales()[u] >= 0, "a scale is never negative");
        }
        // The same method at the same weights, measured two ways: the epoch's mean dropped fraction
        // per step, and the per-unit counts over 900 examples after it.
        assertEquals(lastEpoch.get(l++), mean, 0.02, f.original().text());
        assertTrue(highest - lowest > 0.1, "LRP-guided rates differ from unit to unit");
      }
      assertEquals(frozen, run.frozenDropout(train), "the same examples, the same rates");

      Path export = dir.resolve("lrp");
      SavedModelExport.export(
          run.model(),
          export,
          Preprocessing.NONE,
          List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"),
          1,
          List.of(),
          frozen);
      JsonNode recorded =
          Json.MAPPER
              .readTree(export.resolve(SavedModelExport.METADATA).toFile())
              .get("monteCarloFrozen");
      assertEquals(2, recorded.size());
      Dataset test = TrainerTest.split(1000, 1).validation().head(50);
      try (ServingModel serving = ServingModel.load(export)) {
        assertTrue(serving.hasMonteCarlo(), "importance-guided dropout, sampled frozen");
        MonteCarlo mc = serving.predictMonteCarlo(test.features(), test.size(), 12);
        assertArrayEquals(
            mc.mean(),
            serving.predictMonteCarloPassByPass(test.features(), test.size(), 12).mean(),
            "ten per call, one per call");
        assertFalse(
            java.util.Arrays.equals(
                mc.mean(), serving.predict(test.features(), test.size()).probabilities()),
            "the passes drop units");
        double agreeing = 0;
        for (float s : mc.std()) {
          agreeing += s < 1e-6 ? 1 : 0;
        }
        assertTrue(agreeing < mc.std().length / 2.0, "most probabilities vary across passes");
      }
    }
  }
}
