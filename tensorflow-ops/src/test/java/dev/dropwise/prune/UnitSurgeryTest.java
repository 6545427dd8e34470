package dev.dropwise.prune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dropwise.data.Preprocessing;
import dev.dropwise.dropout.DropoutSpec;
import dev.dropwise.export.SavedModelExport;
import dev.dropwise.export.ServingModel;
import dev.dropwise.model.LayerSpec;
import dev.dropwise.model.ModelSpec;
import dev.dropwise.model.StartingWeights;
import dev.dropwise.network.Activation;
import dev.dropwise.network.Initializer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnitSurgeryTest {
  static final int IN = 6;
  static final int H1 = 5;
  static final int H2 = 4;
  static final int OUT = 3;

  /** 6-5(BatchNorm, ReLU, dropout)-4(ReLU, dropout)-3. */
  static final ModelSpec SPEC =
      new ModelSpec(
          IN,
          List.of(
              new LayerSpec.Dense(H1, Activation.RELU, Initializer.HE_UNIFORM),
              LayerSpec.BatchNorm.DEFAULT,
              new LayerSpec.Dropout(DropoutSpec.parse("standard:p=0.5")),
              new LayerSpec.Dense(H2, Activation.RELU, Initializer.HE_UNIFORM),
              new LayerSpec.Dropout(DropoutSpec.parse("standard:p=0.5")),
              new LayerSpec.Dense(OUT, LayerSpec.OUTPUT_ACTIVATION, LayerSpec.OUTPUT_INITIALIZER)));

  static Map<String, float[]> randomWeights(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    Map<String, float[]> w = new LinkedHashMap<>();
    w.put("dense_0_kernel", values(r, IN * H1, -1, 1));
    w.put("dense_0_bias", values(r, H1, -0.5, 0.5));
    w.put("dense_0_bn_gamma", values(r, H1, 0.5, 1.5));
    w.put("dense_0_bn_beta", values(r, H1, -0.5, 0.5));
    w.put("dense_0_bn_moving_mean", values(r, H1, -0.5, 0.5));
    w.put("dense_0_bn_moving_variance", values(r, H1, 0.5, 2));
    w.put("dense_1_kernel", values(r, H1 * H2, -1, 1));
    w.put("dense_1_bias", values(r, H2, -0.5, 0.5));
    w.put("dense_2_kernel", values(r, H2 * OUT, -1, 1));
    w.put("dense_2_bias", values(r, OUT, -0.5, 0.5));
    return w;
  }

  private static float[] values(SplittableRandom r, int n, double lo, double hi) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) r.nextDouble(lo, hi);
    }
    return v;
  }

  /**
   * The original network in float64, written here from the definitions, with the hidden units whose
   * {@code mask} is 0 set to zero after their activation (the robustness analysis's removal).
   */
  static double[] logits(Map<String, float[]> w, float[] x, double[] mask0, double[] mask1) {
    double[] h1 = new double[H1];
    for (int j = 0; j < H1; j++) {
      double z = w.get("dense_0_bias")[j];
      for (int i = 0; i < IN; i++) {
        z += x[i] * (double) w.get("dense_0_kernel")[i * H1 + j];
      }
      double normalised =
          w.get("dense_0_bn_gamma")[j]
                  * (z - w.get("dense_0_bn_moving_mean")[j])
                  / Math.sqrt(w.get("dense_0_bn_moving_variance")[j] + 1e-3)
              + w.get("dense_0_bn_beta")[j];
      h1[j] = Math.max(0, normalised) * mask0[j];
    }
    double[] h2 = new double[H2];
    for (int j = 0; j < H2; j++) {
      double z = w.get("dense_1_bias")[j];
      for (int i = 0; i < H1; i++) {
        z += h1[i] * w.get("dense_1_kernel")[i * H2 + j];
      }
      h2[j] = Math.max(0, z) * mask1[j];
    }
    double[] out = new double[OUT];
    for (int j = 0; j < OUT; j++) {
      double z = w.get("dense_2_bias")[j];
      for (int i = 0; i < H2; i++) {
        z += h2[i] * w.get("dense_2_kernel")[i * OUT + j];
      }
      out[j] = z;
    }
    return out;
  }

  @Test
  void thePrunedExportGivesTheLogitsOfTheOriginalWithThoseUnitsRemoved(@TempDir Path dir)
      throws Exception {
    Map<String, float[]> weights = randomWeights(7);
    int[] keep0 = {0, 2, 3};
    int[] keep1 = {1, 3};
    UnitSurgery.Pruned pruned = UnitSurgery.keep(SPEC, weights, List.of(keep0, keep1));

    assertEquals(List.of(6, 3, 2, 3), widths(pruned.spec()));
    assertEquals(SPEC.layers().size(), pruned.spec().layers().size(), "BatchNorm and dropout stay");
    // Kernels 6x3, 3x2 and 2x3, biases 3, 2 and 3, and the BatchNorm's four vectors of 3.
    assertEquals(18 + 6 + 6 + 3 + 2 + 3 + 4 * 3, parameters(pruned.weights()));

    SavedModelExport.export(
        pruned.spec(),
        new StartingWeights("a test", pruned.weights()),
        dir.resolve("pruned"),
        Preprocessing.NONE,
        List.of("a", "b", "c"),
        "a test");
    double[] mask0 = {1, 0, 1, 1, 0};
    double[] mask1 = {0, 1, 0, 1};
    SplittableRandom r = new SplittableRandom(3);
    int n = 9;
    float[] x = values(r, n * IN, -2, 2);
    try (ServingModel served = ServingModel.load(dir.resolve("pruned"))) {
      float[] got = served.predict(x, n).logits();
      for (int e = 0; e < n; e++) {
        float[] one = java.util.Arrays.copyOfRange(x, e * IN, (e + 1) * IN);
        double[] expected = logits(weights, one, mask0, mask1);
        for (int c = 0; c < OUT; c++) {
          assertEquals(expected[c], got[e * OUT + c], 1e-5, "example " + e + ", class " + c);
        }
      }
    }
  }

  /**
   * A recurrent layer is kept whole and the Dense layer after it pruned: the pruned export gives
   * the logits of the original whose removed units' kernel columns and biases are zero (a ReLU unit
   * that is always 0 adds nothing).
   */
  @Test
  void aRecurrentLayerIsKeptWholeAndTheDenseLayersAfterItArePruned(@TempDir Path dir)
      throws Exception {
    ModelSpec spec = ModelSpec.parseNetwork("4x3", "lstm:5:seq,dense:6,dense:2");
    SplittableRandom r = new SplittableRandom(11);
    Map<String, float[]> weights = new LinkedHashMap<>();
    weights.put("lstm_0_kernel", values(r, 3 * 20, -1, 1));
    weights.put("lstm_0_recurrent_kernel", values(r, 5 * 20, -1, 1));
    weights.put("lstm_0_bias", values(r, 20, -0.5, 0.5));
    weights.put("dense_0_kernel", values(r, 20 * 6, -1, 1));
    weights.put("dense_0_bias", values(r, 6, -0.5, 0.5));
    weights.put("dense_1_kernel", values(r, 6 * 2, -1, 1));
    weights.put("dense_1_bias", values(r, 2, -0.5, 0.5));
    int[] keep = {0, 2, 5};
    UnitSurgery.Pruned pruned = UnitSurgery.keep(spec, weights, List.of(keep));
    assertEquals(ModelSpec.parseNetwork("4x3", "lstm:5:seq,dense:3,dense:2"), pruned.spec());
    for (String v : List.of("lstm_0_kernel", "lstm_0_recurrent_kernel", "lstm_0_bias")) {
      assertTrue(
          java.util.Arrays.equals(weights.get(v), pruned.weights().get(v)), v + " as it was");
    }
    Map<String, float[]> zeroed = new LinkedHashMap<>(weights);
    float[] kernel = weights.get("dense_0_kernel").clone();
    float[] bias = weights.get("dense_0_bias").clone();
    for (int u : new int[] {1, 3, 4}) {
      bias[u] = 0;
      for (int row = 0; row < 20; row++) {
        kernel[row * 6 + u] = 0;
      }
    }
    zeroed.put("dense_0_kernel", kernel);
    zeroed.put("dense_0_bias", bias);
    float[] x = values(new SplittableRandom(2), 7 * 12, -2, 2);
    float[][] logits = new float[2][];
    int i = 0;
    for (var model : List.of(Map.entry(spec, zeroed), Map.entry(pruned.spec(), pruned.weights()))) {
      Path out = dir.resolve("model-" + i);
      SavedModelExport.export(
          model.getKey(),
          new StartingWeights("a test", model.getValue()),
          out,
          Preprocessing.NONE,
          List.of("a", "b"),
          "a test");
      try (ServingModel served = ServingModel.load(out)) {
        logits[i++] = served.predict(x, 7).logits();
      }
    }
    assertArrayEquals(logits[0], logits[1], 1e-5f);
  }

  @Test
  void keepingEveryUnitChangesNothing() {
    Map<String, float[]> weights = randomWeights(8);
    UnitSurgery.Pruned all =
        UnitSurgery.keep(SPEC, weights, List.of(new int[] {0, 1, 2, 3, 4}, new int[] {0, 1, 2, 3}));
    assertEquals(SPEC, all.spec());
    assertEquals(weights.keySet(), all.weights().keySet());
    weights.forEach(
        (name, v) -> assertTrue(java.util.Arrays.equals(v, all.weights().get(name)), name));
  }

  @Test
  void aKeepListThatDoesNotFitIsRefusedByTheLayersName() {
    Map<String, float[]> weights = randomWeights(9);
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () -> UnitSurgery.keep(SPEC, weights, List.of(new int[] {0})))
            .getMessage()
            .contains("each of the 2 hidden layers"));
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () -> UnitSurgery.keep(SPEC, weights, List.of(new int[] {}, new int[] {0})))
            .getMessage()
            .contains("dense_0"));
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () -> UnitSurgery.keep(SPEC, weights, List.of(new int[] {0, 1}, new int[] {2, 1})))
            .getMessage()
            .contains("distinct, ascending, in [0, 4)"));
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () -> UnitSurgery.keep(SPEC, weights, List.of(new int[] {0, 5}, new int[] {1})))
            .getMessage()
            .contains("in [0, 5)"));
  }

  private static List<Integer> widths(ModelSpec spec) {
    List<Integer> w = new java.util.ArrayList<>(List.of(spec.inputs()));
    spec.denseLayers().forEach(d -> w.add(d.units()));
    return w;
  }

  private static int parameters(Map<String, float[]> weights) {
    return weights.values().stream().mapToInt(v -> v.length).sum();
  }
}
