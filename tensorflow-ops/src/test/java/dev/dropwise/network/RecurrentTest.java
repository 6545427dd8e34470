package dev.dropwise.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The LSTM and GRU layers against Keras's cells written here in float64: the forward pass (the last
 * output and every step's), and the gradients of a weighted sum of the outputs with respect to the
 * input and every weight, against central differences of the float64 cells. Both to a relative
 * error of 1e-5 (the norm of the difference over the reference's).
 */
class RecurrentTest {
  private static final int N = 3, T = 5, F = 4, U = 6;

  /** One layer's values, drawn once: what both implementations compute with. */
  private record Case(RecurrentCell cell, double[] x, double[] w, double[] r, double[] b) {
    static Case draw(RecurrentCell cell, long seed) {
      Random random = new Random(seed);
      int g = cell.gates() * U;
      return new Case(
          cell,
          values(random, N * T * F, 1.0),
          values(random, F * g, 0.5),
          values(random, U * g, 0.5),
          values(random, cell == RecurrentCell.LSTM ? g : 2 * g, 0.3));
    }

    /** The values as float32 would hold them, so that both sides start from the same numbers. */
    private static double[] values(Random random, int n, double scale) {
      double[] v = new double[n];
      for (int i = 0; i < n; i++) {
        v[i] = (float) (scale * random.nextGaussian());
      }
      return v;
    }

    List<double[]> parts() {
      return List.of(x, w, r, b);
    }
  }

  /** The weights of the loss: one per output value of a layer returning every step. */
  private static double[] lossWeights() {
    Random random = new Random(99);
    double[] v = new double[N * T * U];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) random.nextGaussian();
    }
    return v;
  }

  /** {@code Σ weight · output}: over every step's outputs, or the last step's. */
  private static double loss(Case c, boolean sequences, double[] weights) {
    double[][][] h =
        RecurrentReference.outputs(c.cell(), c.x(), c.w(), c.r(), c.b(), N, T, F, U, null);
    double sum = 0;
    for (int n = 0; n < N; n++) {
      for (int t = sequences ? 0 : T - 1; t < T; t++) {
        for (int u = 0; u < U; u++) {
          sum += weights[(n * T + t) * U + u] * h[n][t][u];
        }
      }
    }
    return sum;
  }

  private static Operand<TFloat32> constant(Ops tf, double[] v, long... shape) {
    float[] f = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      f[i] = (float) v[i];
    }
    return tf.constant(Shape.of(shape), DataBuffers.of(f, true, false));
  }

  private static float[] read(TFloat32 t) {
    float[] out = new float[(int) t.shape().size()];
    t.asRawTensor().data().asFloats().read(out);
    return out;
  }

  private static double relativeError(float[] actual, double[] expected) {
    double diff = 0, norm = 0;
    for (int i = 0; i < expected.length; i++) {
      diff += (actual[i] - expected[i]) * (actual[i] - expected[i]);
      norm += expected[i] * expected[i];
    }
    return Math.sqrt(diff / norm);
  }

  @ParameterizedTest
  @CsvSource({"LSTM, false", "LSTM, true", "GRU, false", "GRU, true"})
  void forwardAndGradientsMatchTheCellsInFloat64(RecurrentCell cellKind, boolean sequences) {
    Case c = Case.draw(cellKind, 17 + cellKind.ordinal());
    int g = cellKind.gates() * U;
    double[] weights = lossWeights();
    double[][][] expected =
        RecurrentReference.outputs(cellKind, c.x(), c.w(), c.r(), c.b(), N, T, F, U, null);
    try (Graph graph = new Graph();
        Session session = new Session(graph)) {
      Ops tf = Ops.create(graph);
      Operand<TFloat32> x = constant(tf, c.x(), N, T, F);
      Operand<TFloat32> w = constant(tf, c.w(), F, g);
      Operand<TFloat32> r = constant(tf, c.r(), U, g);
      Operand<TFloat32> b = constant(tf, c.b(), cellKind.biasShape(U));
      Recurrent layer = new Recurrent(cellKind, w, r, b, sequences);
      Operand<TFloat32> y = layer.forward(tf, x);
      Operand<TFloat32> lossWeights =
          sequences
              ? constant(tf, weights, N, T, U)
              : tf.gather(constant(tf, weights, N, T, U), tf.constant(T - 1), tf.constant(1));
      Operand<TFloat32> product = tf.math.mul(y, lossWeights);
      Operand<TFloat32> loss =
          tf.reduceSum(product, tf.range(tf.constant(0), tf.rank(product), tf.constant(1)));
      List<Operand<TFloat32>> parameters = List.of(x, w, r, b);
      var gradients = tf.gradients(loss, parameters);
      Session.Runner runner = session.runner().fetch(y);
      for (int i = 0; i < parameters.size(); i++) {
        runner.fetch(gradients.dy(i));
      }
      try (var result = runner.run()) {
        float[] out = read((TFloat32) result.get(0));
        List<Double> flat = new ArrayList<>();
        for (int n = 0; n < N; n++) {
          for (int t = sequences ? 0 : T - 1; t < T; t++) {
            for (int u = 0; u < U; u++) {
              flat.add(expected[n][t][u]);
            }
          }
        }
        double[] want = flat.stream().mapToDouble(Double::doubleValue).toArray();
        assertEquals(want.length, out.length, "output size");
        assertTrue(relativeError(out, want) <= 1e-5, "forward: " + relativeError(out, want));
        String[] names = {"input", "kernel", "recurrent kernel", "bias"};
        for (int p = 0; p < parameters.size(); p++) {
          double[] numeric = centralDifferences(c, p, sequences, weights);
          float[] analytic = read((TFloat32) result.get(1 + p));
          double error = relativeError(analytic, numeric);
          assertTrue(error <= 1e-5, cellKind + " d/d" + names[p] + ": relative error " + error);
        }
      }
    }
  }

  /** The loss's gradient with respect to part {@code p} of the case, by central differences. */
  private static double[] centralDifferences(Case c, int p, boolean sequences, double[] weights) {
    double[] values = c.parts().get(p);
    double[] grad = new double[values.length];
    double h = 1e-5;
    for (int i = 0; i < values.length; i++) {
      double keep = values[i];
      values[i] = keep + h;
      double up = loss(c, sequences, weights);
      values[i] = keep - h;
      double down = loss(c, sequences, weights);
      values[i] = keep;
      grad[i] = (up - down) / (2 * h);
    }
    return grad;
  }
}
