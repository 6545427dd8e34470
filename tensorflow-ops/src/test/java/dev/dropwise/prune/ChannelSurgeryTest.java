package dev.dropwise.prune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dropwise.data.Preprocessing;
import dev.dropwise.export.SavedModelExport;
import dev.dropwise.export.ServingModel;
import dev.dropwise.model.ModelSpec;
import dev.dropwise.model.StartingWeights;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Removing channels of convolutions, checked against a float64 CNN written here. */
class ChannelSurgeryTest {
  /**
   * 6x6x2 → conv 4 filters 3x3 (BatchNorm, ReLU, dropout) → pool 2 → conv 3 filters 2x2 stride 2 →
   * flatten (2x2x3) → dense 5 → dense 3.
   */
  static final ModelSpec SPEC =
      ModelSpec.parseNetwork(
          "6x6x2",
          "conv:4x3,bn,dropout(standard:p=0.5),pool:2,conv:3x2s2,flatten,dense:5,"
              + "dropout(standard:p=0.5),dense:3:linear:glorot-uniform");

  static Map<String, float[]> randomWeights(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    Map<String, float[]> w = new LinkedHashMap<>();
    w.put("conv_0_kernel", values(r, 3 * 3 * 2 * 4, -1, 1));
    w.put("conv_0_bias", values(r, 4, -0.5, 0.5));
    w.put("conv_0_bn_gamma", values(r, 4, 0.5, 1.5));
    w.put("conv_0_bn_beta", values(r, 4, -0.5, 0.5));
    w.put("conv_0_bn_moving_mean", values(r, 4, -0.5, 0.5));
    w.put("conv_0_bn_moving_variance", values(r, 4, 0.5, 2));
    w.put("conv_1_kernel", values(r, 2 * 2 * 4 * 3, -1, 1));
    w.put("conv_1_bias", values(r, 3, -0.5, 0.5));
    w.put("dense_0_kernel", values(r, 12 * 5, -1, 1));
    w.put("dense_0_bias", values(r, 5, -0.5, 0.5));
    w.put("dense_1_kernel", values(r, 5 * 3, -1, 1));
    w.put("dense_1_bias", values(r, 3, -0.5, 0.5));
    return w;
  }

  private static float[] values(SplittableRandom r, int n, double lo, double hi) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) r.nextDouble(lo, hi);
    }
    return v;
  }

  /** A map [h][w][c] in float64. */
  record Map3(int h, int w, int c, double[] v) {
    double at(int y, int x, int ch) {
      return v[(y * w + x) * c + ch];
    }
  }

  /** conv2d with padding SAME as TensorFlow pads (the extra row and column after), plus bias. */
  static Map3 conv(Map3 in, float[] kernel, float[] bias, int k, int stride, int filters) {
    int oh = (in.h() + stride - 1) / stride;
    int ow = (in.w() + stride - 1) / stride;
    int top = Math.max((oh - 1) * stride + k - in.h(), 0) / 2;
    int left = Math.max((ow - 1) * stride + k - in.w(), 0) / 2;
    double[] out = new double[oh * ow * filters];
    for (int y = 0; y < oh; y++) {
      for (int x = 0; x < ow; x++) {
        for (int f = 0; f < filters; f++) {
          double z = bias[f];
          for (int dy = 0; dy < k; dy++) {
            for (int dx = 0; dx < k; dx++) {
              int sy = y * stride + dy - top;
              int sx = x * stride + dx - left;
              if (sy < 0 || sx < 0 || sy >= in.h() || sx >= in.w()) {
                continue;
              }
              for (int c = 0; c < in.c(); c++) {
                z += in.at(sy, sx, c) * kernel[((dy * k + dx) * in.c() + c) * filters + f];
              }
            }
          }
          out[(y * ow + x) * filters + f] = z;
        }
      }
    }
    return new Map3(oh, ow, filters, out);
  }

  /**
   * The original CNN in float64, with the channels and units whose mask is 0 set to zero after
   * their activation (the robustness analysis's removal).
   */
  static double[] logits(Map<String, float[]> w, float[] x, double[][] masks) {
    double[] input = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      input[i] = x[i];
    }
    Map3 a = conv(new Map3(6, 6, 2, input), w.get("conv_0_kernel"), w.get("conv_0_bias"), 3, 1, 4);
    for (int i = 0; i < a.v().length; i++) {
      int ch = i % 4;
      double normalised =
          w.get("conv_0_bn_gamma")[ch]
                  * (a.v()[i] - w.get("conv_0_bn_moving_mean")[ch])
                  / Math.sqrt(w.get("conv_0_bn_moving_variance")[ch] + 1e-3)
              + w.get("conv_0_bn_beta")[ch];
      a.v()[i] = Math.max(0, normalised) * masks[0][ch];
    }
    double[] pooled = new double[3 * 3 * 4];
    for (int y = 0; y < 3; y++) {
      for (int xx = 0; xx < 3; xx++) {
        for (int c = 0; c < 4; c++) {
          pooled[(y * 3 + xx) * 4 + c] =
              Math.max(
                  Math.max(a.at(2 * y, 2 * xx, c), a.at(2 * y, 2 * xx + 1, c)),
                  Math.max(a.at(2 * y + 1, 2 * xx, c), a.at(2 * y + 1, 2 * xx + 1, c)));
        }
      }
    }
    Map3 b = conv(new Map3(3, 3, 4, pooled), w.get("conv_1_kernel"), w.get("conv_1_bias"), 2, 2, 3);
    for (int i = 0; i < b.v().length; i++) {
      b.v()[i] = Math.max(0, b.v()[i]) * masks[1][i % 3];
    }
    double[] h = dense(b.v(), w.get("dense_0_kernel"), w.get("dense_0_bias"));
    for (int j = 0; j < h.length; j++) {
      h[j] = Math.max(0, h[j]) * masks[2][j];
    }
    return dense(h, w.get("dense_1_kernel"), w.get("dense_1_bias"));
  }

  private static double[] dense(double[] in, float[] kernel, float[] bias) {
    double[] out = new double[bias.length];
    for (int j = 0; j < bias.length; j++) {
      double z = bias[j];
      for (int i = 0; i < in.length; i++) {
        z += in[i] * kernel[i * bias.length + j];
      }
      out[j] = z;
    }
    return out;
  }

  @Test
  void thePrunableLayersAreTheHiddenConvolutionsAndDenseLayers() {
    PrunableLayers prunable = PrunableLayers.of(SPEC);
    // conv_0, bn, dropout, pool, conv_1, flatten, dense_0, dropout, dense_1
    assertEquals(List.of(0, 4, 6), prunable.indices());
    // The clean network: conv_0, pool, conv_1, flatten, dense_0 (hidden), dense_1.
    assertEquals(List.of(0, 2, 4), prunable.hidden());
    assertEquals(List.of(4, 3, 5), prunable.units());
  }

  @Test
  void thePrunedExportGivesTheLogitsOfTheOriginalWithThoseChannelsRemoved(@TempDir Path dir)
      throws Exception {
    Map<String, float[]> weights = randomWeights(11);
    UnitSurgery.Pruned pruned =
        UnitSurgery.keep(
            SPEC, weights, List.of(new int[] {0, 2, 3}, new int[] {1, 2}, new int[] {0, 3, 4}));
    assertEquals("6x6x2-conv3k3-bn-pool2-conv2k2s2-3-3", pruned.spec().widths());
    // conv_0 3x3x2x3 + 3 + BatchNorm 4x3, conv_1 2x2x3x2 + 2, dense_0 (2x2x2)x3 + 3, dense_1 3x3 +
    // 3.
    assertEquals(
        54 + 3 + 12 + 24 + 2 + 24 + 3 + 9 + 3,
        pruned.weights().values().stream().mapToInt(v -> v.length).sum());

    SavedModelExport.export(
        pruned.spec(),
        new StartingWeights("a test", pruned.weights()),
        dir.resolve("pruned"),
        Preprocessing.NONE,
        List.of("a", "b", "c"),
        "a test");
    double[][] masks = {{1, 0, 1, 1}, {0, 1, 1}, {1, 0, 0, 1, 1}};
    SplittableRandom r = new SplittableRandom(5);
    int n = 7;
    float[] x = values(r, n * 72, -2, 2);
    try (ServingModel served = ServingModel.load(dir.resolve("pruned"))) {
      float[] got = served.predict(x, n).logits();
      for (int e = 0; e < n; e++) {
        double[] expected = logits(weights, Arrays.copyOfRange(x, e * 72, (e + 1) * 72), masks);
        for (int c = 0; c < 3; c++) {
          assertEquals(expected[c], got[e * 3 + c], 1e-5, "example " + e + ", class " + c);
        }
      }
    }
  }

  @Test
  void aChannelsMagnitudeIsTheNormOfItsWholeFilter() {
    Map<String, float[]> weights = randomWeights(12);
    List<double[]> scores =
        new UnitRanking("magnitude-l2").scores(SPEC.withoutDropout(), weights::get, null, 1);
    float[] kernel = weights.get("conv_1_kernel"); // [2, 2, 4, 3]
    double[] expected = new double[3];
    for (int dy = 0; dy < 2; dy++) {
      for (int dx = 0; dx < 2; dx++) {
        for (int c = 0; c < 4; c++) {
          for (int f = 0; f < 3; f++) {
            double v = kernel[((dy * 2 + dx) * 4 + c) * 3 + f];
            expected[f] += v * v;
          }
        }
      }
    }
    for (int f = 0; f < 3; f++) {
      expected[f] = Math.sqrt(expected[f]);
    }
    assertEquals(3, scores.size());
    assertArrayEquals(expected, scores.get(1), 1e-9);
  }
}
