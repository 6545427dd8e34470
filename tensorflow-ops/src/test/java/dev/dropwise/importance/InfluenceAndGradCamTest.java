package dev.dropwise.importance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dropwise.network.Network;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Internal Influence, Grad-CAM's channel weights and Grad-CAM maps on the CNN of {@link
 * InputRelevanceTest}, each against its definition computed here from the float64 network's
 * gradients ({@link MatrixNet#gradientAt}).
 */
class InfluenceAndGradCamTest {
  final InputRelevanceTest nets = new InputRelevanceTest();
  final InputRelevanceTest.Case cnn = nets.cnn(true);
  final double[][] x = nets.inputs(cnn.features());
  final int[] predicted = InputRelevanceTest.predicted(cnn.reference(), x);

  /** The ops {@code build} makes on the CNN over {@link #x}, each fetched flat. */
  List<float[]> run(BiFunction<Ops, Network, List<Operand<TFloat32>>> build) {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      List<Operand<TFloat32>> outs = build.apply(tf, cnn.network().apply(tf));
      try (Session s = new Session(g)) {
        Session.Runner runner = s.runner();
        outs.forEach(runner::fetch);
        try (Result r = runner.run()) {
          List<float[]> values = new ArrayList<>();
          for (int i = 0; i < outs.size(); i++) {
            TFloat32 t = (TFloat32) r.get(i);
            float[] v = new float[(int) t.size()];
            t.copyTo(DataBuffers.of(v, false, false));
            values.add(v);
          }
          return values;
        }
      }
    }
  }

  Operand<TFloat32> input(Ops tf) {
    float[][] xf = new float[x.length][];
    for (int e = 0; e < x.length; e++) {
      xf[e] = InputRelevanceTest.floats(x[e]);
    }
    return tf.constant(xf);
  }

  static void assertClose(double[] want, float[] got, int offset, String what) {
    double scale = 0;
    for (double v : want) {
      scale = Math.max(scale, Math.abs(v));
    }
    assertTrue(scale > 0, what + ": not all zero");
    for (int i = 0; i < want.length; i++) {
      assertEquals(want[i], got[offset + i], 1e-5 * scale, what + ", " + i);
    }
  }

  /**
   * Internal Influence of the convolution's output and of the Dense layer: the mean over the
   * midpoints α = (i − ½)/steps of the gradient at αx, the class the one predicted for x.
   */
  @Test
  void internalInfluenceIsTheMeanGradientAlongThePath() {
    int steps = 8;
    List<float[]> got =
        run(
            (tf, net) ->
                ImportanceMeasures.parse("internal-influence:steps=" + steps)
                    .scores(tf, net, input(tf), null));
    assertEquals(4, got.size(), "conv, pool, flatten, dense");
    // TF's hidden layer 0 is the reference's a[1] (conv), 3 its a[3] (the Dense layer).
    int[][] pairs = {{0, 1}, {3, 3}};
    for (int[] pair : pairs) {
      int units = got.get(pair[0]).length / x.length;
      for (int e = 0; e < x.length; e++) {
        double[] want = new double[units];
        for (int i = 1; i <= steps; i++) {
          double alpha = (i - 0.5) / steps;
          double[] point = new double[x[e].length];
          for (int f = 0; f < point.length; f++) {
            point[f] = alpha * x[e][f];
          }
          double[] g = cnn.reference().gradientAt(point, predicted[e], pair[1]);
          for (int u = 0; u < units; u++) {
            want[u] += g[u] / steps;
          }
        }
        assertClose(want, got.get(pair[0]), e * units, "layer " + pair[0] + ", example " + e);
      }
    }
  }

  /** Grad-CAM's weight of each channel is its gradient's mean over the map's positions. */
  @Test
  void gradCamWeightsAreTheMeanGradientOfEachChannel() {
    List<float[]> got =
        run(
            (tf, net) ->
                ImportanceMeasures.parse("grad-cam").scores(tf, net, input(tf), null).stream()
                    .map(ImportanceOps.create(tf)::channelTotals)
                    .toList());
    int positions = InputRelevanceTest.SIDE * InputRelevanceTest.SIDE;
    int channels = InputRelevanceTest.FILTERS;
    for (int e = 0; e < x.length; e++) {
      double[] g = cnn.reference().gradientAt(x[e], predicted[e], 1);
      double[] alpha = new double[channels];
      for (int q = 0; q < positions * channels; q++) {
        alpha[q % channels] += g[q] / positions;
      }
      assertClose(alpha, got.get(0), e * channels, "example " + e);
      // A flat layer's weight is its gradient.
      assertClose(cnn.reference().gradientAt(x[e], predicted[e], 3), got.get(3), e * 7, "dense");
    }
  }

  /**
   * The Grad-CAM map at the convolution (the input's size) is ReLU(Σ_k α_k A^k), given to both
   * input channels; at the pooling (3 x 3) it is that map of the pooled features resized bilinearly
   * as TensorFlow's legacy resize does (source = target · in/out, no half-pixel shift).
   */
  @Test
  void gradCamMapsAreTheWeightedFeatureMapsResizedToTheInput() {
    int side = InputRelevanceTest.SIDE;
    int channels = InputRelevanceTest.FILTERS;
    int[] classes = predicted;
    List<float[]> got =
        run(
            (tf, net) ->
                List.of(
                    InputAttributions.parse("grad-cam:layer=conv_0")
                        .relevance(tf, net, input(tf), tf.constant(classes), InputSpace.unit()),
                    InputAttributions.parse("grad-cam")
                        .relevance(tf, net, input(tf), tf.constant(classes), InputSpace.unit())));
    for (int e = 0; e < x.length; e++) {
      for (int layer = 0; layer < 2; layer++) {
        int at = layer == 0 ? 1 : 2; // conv_0's output, pool_0's
        int h = layer == 0 ? side : side / 2;
        double[] a = cnn.reference().forward(x[e]).get(at);
        double[] g = cnn.reference().gradientAt(x[e], classes[e], at);
        double[] alpha = new double[channels];
        for (int q = 0; q < h * h * channels; q++) {
          alpha[q % channels] += g[q] / (h * h);
        }
        double[] cam = new double[h * h];
        for (int p = 0; p < h * h; p++) {
          double sum = 0;
          for (int k = 0; k < channels; k++) {
            sum += alpha[k] * a[p * channels + k];
          }
          cam[p] = Math.max(0, sum);
        }
        double[] want = new double[side * side * InputRelevanceTest.CIN];
        for (int i = 0; i < side; i++) {
          for (int j = 0; j < side; j++) {
            double v = bilinear(cam, h, i * (double) h / side, j * (double) h / side);
            for (int c = 0; c < InputRelevanceTest.CIN; c++) {
              want[(i * side + j) * InputRelevanceTest.CIN + c] = v;
            }
          }
        }
        assertClose(want, got.get(layer), e * want.length, "layer " + layer + ", example " + e);
      }
    }
  }

  private static double bilinear(double[] map, int h, double y, double x) {
    int y0 = (int) Math.floor(y);
    int x0 = (int) Math.floor(x);
    int y1 = Math.min(y0 + 1, h - 1);
    int x1 = Math.min(x0 + 1, h - 1);
    double dy = y - y0;
    double dx = x - x0;
    double top = map[y0 * h + x0] * (1 - dx) + map[y0 * h + x1] * dx;
    double bottom = map[y1 * h + x0] * (1 - dx) + map[y1 * h + x1] * dx;
    return top * (1 - dy) + bottom * dy;
  }

  @Test
  void gradCamRefusesAModelWithoutFeatureMapsAndALayerItLacks() {
    InputRelevanceTest.Case mlp = nets.mlp(true);
    var flat =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                InputRelevanceTest.relevance(
                    mlp,
                    InputAttributions.parse("grad-cam"),
                    nets.inputs(12),
                    new int[] {0, 0, 0},
                    InputSpace.unit()));
    assertEquals(
        "grad-cam explains images through a layer with feature maps; this model takes flat inputs of 12",
        flat.getMessage());
    var missing =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                InputRelevanceTest.relevance(
                    cnn,
                    InputAttributions.parse("grad-cam:layer=dense_1"),
                    x,
                    predicted,
                    InputSpace.unit()));
    assertEquals(
        "grad-cam layer=dense_1 is not allowed; use last or one of conv_0, pool_0",
        missing.getMessage());
  }
}
