package dev.dropwise.importance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dropwise.network.FeatureShape;
import dev.dropwise.network.Network;
import dev.dropwise.network.Recurrent;
import dev.dropwise.network.RecurrentCell;
import dev.dropwise.network.RecurrentReference;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Importance of a recurrent layer's units at every time step: the gradient of the target logit by
 * each step's output, through the later steps as well, against central differences of the float64
 * cells with that output nudged; conductance at the last step, through which every path to the
 * logits passes, summing to {@code y(x) − y(0)}; and a layer's unit scores summed over time.
 */
class RecurrentImportanceTest {
  private static final int N = 2, T = 4, F = 3, U = 5, C = 3;

  private final Random random = new Random(11);
  private final double[] x = values(N * T * F, 1.0);
  private final double[] v = values(U * C, 0.7);
  private final int[] labels = {2, 0};

  private double[] values(int n, double scale) {
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      out[i] = (float) (scale * random.nextGaussian());
    }
    return out;
  }

  private static Operand<TFloat32> constant(Ops tf, double[] values, long... shape) {
    float[] f = new float[values.length];
    for (int i = 0; i < values.length; i++) {
      f[i] = (float) values[i];
    }
    return tf.constant(Shape.of(shape), DataBuffers.of(f, true, false));
  }

  /** The label's logit of example n: the last step's output through {@code v}, no bias. */
  private double logit(double[][][] h, int n) {
    double y = 0;
    for (int u = 0; u < U; u++) {
      y += h[n][T - 1][u] * v[u * C + labels[n]];
    }
    return y;
  }

  @ParameterizedTest
  @EnumSource(RecurrentCell.class)
  void eachStepsGradientAndTheLastStepsConductanceAreWhatTheCellsGive(RecurrentCell cell) {
    int g = cell.gates() * U;
    double[] w = values(F * g, 0.6);
    double[] r = values(U * g, 0.6);
    double[] b = values(cell == RecurrentCell.LSTM ? g : 2 * g, 0.2);
    try (Graph graph = new Graph();
        Session session = new Session(graph)) {
      Ops tf = Ops.create(graph);
      Network network =
          new Network(
              FeatureShape.sequence(T, F),
              List.of(
                  new Recurrent(
                      cell,
                      constant(tf, w, F, g),
                      constant(tf, r, U, g),
                      constant(tf, b, cell.biasShape(U)),
                      false),
                  Network.Linear.dense(
                      constant(tf, v, U, C),
                      tf.zeros(tf.constant(new int[] {C}), TFloat32.class),
                      dev.dropwise.network.Activation.LINEAR)),
              List.of(FeatureShape.flat(U), FeatureShape.flat(C)));
      Operand<TFloat32> input = constant(tf, x, N, T * F);
      Operand<TInt32> classes = tf.constant(labels);
      ImportanceOps ops = ImportanceOps.create(tf);
      Network.Forward forward = network.forward(tf, input);
      Operand<TFloat32> gradient = ops.gradientMagnitude(forward, classes).get(0);
      Operand<TFloat32> conductance =
          ops.conductance(network, input, 400, Target.LABEL, classes, false).get(0);
      Operand<TFloat32> totals = ops.channelTotals(gradient);
      try (var result = session.runner().fetch(gradient).fetch(conductance).fetch(totals).run()) {
        TFloat32 grad = (TFloat32) result.get(0);
        TFloat32 cond = (TFloat32) result.get(1);
        TFloat32 total = (TFloat32) result.get(2);
        assertArrayEquals(new long[] {N, T, U}, grad.shape().asArray(), "a score per step");
        assertArrayEquals(new long[] {N, U}, total.shape().asArray(), "summed over time");
        double[][][] clean = RecurrentReference.outputs(cell, x, w, r, b, N, T, F, U, null);
        double[][][] none =
            RecurrentReference.outputs(cell, new double[x.length], w, r, b, N, T, F, U, null);
        for (int n = 0; n < N; n++) {
          double conductanceSum = 0;
          for (int u = 0; u < U; u++) {
            double sum = 0;
            for (int t = 0; t < T; t++) {
              double delta = 1e-5;
              double up =
                  logit(
                      RecurrentReference.outputs(
                          cell,
                          x,
                          w,
                          r,
                          b,
                          N,
                          T,
                          F,
                          U,
                          new RecurrentReference.Nudge(n, t, u, delta)),
                      n);
              double down =
                  logit(
                      RecurrentReference.outputs(
                          cell,
                          x,
                          w,
                          r,
                          b,
                          N,
                          T,
                          F,
                          U,
                          new RecurrentReference.Nudge(n, t, u, -delta)),
                      n);
              double expected = Math.abs((up - down) / (2 * delta));
              assertEquals(
                  expected,
                  grad.getFloat(n, t, u),
                  1e-5 + 1e-4 * expected,
                  cell + " |dy/dh| of example " + n + ", step " + t + ", unit " + u);
              sum += grad.getFloat(n, t, u);
            }
            assertEquals(sum, total.getFloat(n, u), 1e-5 * (1 + sum), "unit " + u + " over time");
            conductanceSum += cond.getFloat(n, T - 1, u);
          }
          double change = logit(clean, n) - logit(none, n);
          assertEquals(
              change,
              conductanceSum,
              0.01 * Math.abs(change) + 1e-3,
              cell + ": the last step's conductance sums to y(x) - y(0), example " + n);
        }
      }
    }
  }
}
