package dev.dropwise.importance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dropwise.network.Recurrent;
import dev.dropwise.network.RecurrentCell;
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
 * LRP through an LSTM and a GRU cell against the gate rules written here in float64 with explicit
 * sums (the cell's forward pass included), for a relevance at the last output or at every step;
 * and, with zero biases and a vanishing ε, the relevance of the input summing to what came in.
 */
class RecurrentLrpTest {
  private static final int N = 2, T = 3, F = 2, U = 3;

  private static double sigmoid(double z) {
    return 1 / (1 + Math.exp(-z));
  }

  private static double stabilised(double z, double epsilon) {
    return z + epsilon * (z >= 0 ? 1 : -1);
  }

  /** Relevance of the input {@code [N][T][F]} and at each step's output {@code [N][T][U]}. */
  private static double[][][][] reference(
      RecurrentCell cell,
      double[] x,
      double[] w,
      double[] r,
      double[] b,
      double[] rel,
      boolean seq,
      double epsilon) {
    int g = cell.gates() * U;
    double[][][] input = new double[N][T][F];
    double[][][] steps = new double[N][T][U];
    for (int n = 0; n < N; n++) {
      // Forward, keeping what the rules need.
      double[][] h = new double[T + 1][U], c = new double[T + 1][U]; // index t + 1; 0 = zeros
      double[][] keep = new double[T][U], update = new double[T][U], cand = new double[T][U];
      double[][] candIn = new double[T][U], reset = new double[T][U];
      for (int t = 0; t < T; t++) {
        double[] zx = new double[g], zh = new double[g];
        for (int j = 0; j < g; j++) {
          zx[j] = b[j];
          zh[j] = cell == RecurrentCell.LSTM ? 0 : b[g + j];
          for (int f = 0; f < F; f++) {
            zx[j] += x[(n * T + t) * F + f] * w[f * g + j];
          }
          for (int u = 0; u < U; u++) {
            zh[j] += h[t][u] * r[u * g + j];
          }
        }
        for (int u = 0; u < U; u++) {
          if (cell == RecurrentCell.LSTM) {
            keep[t][u] = sigmoid(zx[U + u] + zh[U + u]);
            update[t][u] = sigmoid(zx[u] + zh[u]);
            candIn[t][u] = zx[2 * U + u] + zh[2 * U + u];
            reset[t][u] = 1;
            cand[t][u] = Math.tanh(candIn[t][u]);
            c[t + 1][u] = keep[t][u] * c[t][u] + update[t][u] * cand[t][u];
            h[t + 1][u] = sigmoid(zx[3 * U + u] + zh[3 * U + u]) * Math.tanh(c[t + 1][u]);
          } else {
            keep[t][u] = sigmoid(zx[u] + zh[u]);
            update[t][u] = 1 - keep[t][u];
            reset[t][u] = sigmoid(zx[U + u] + zh[U + u]);
            candIn[t][u] = zx[2 * U + u] + reset[t][u] * zh[2 * U + u];
            cand[t][u] = Math.tanh(candIn[t][u]);
            h[t + 1][u] = keep[t][u] * h[t][u] + update[t][u] * cand[t][u];
          }
        }
      }
      // Backward: relevance arriving at h_t, and the LSTM's cell relevance from the step after.
      double[][] atH = new double[T][U];
      for (int t = 0; t < T; t++) {
        for (int u = 0; u < U; u++) {
          atH[t][u] = seq ? rel[(n * T + t) * U + u] : t == T - 1 ? rel[n * U + u] : 0;
        }
      }
      double[] carried = new double[U];
      for (int t = T - 1; t >= 0; t--) {
        double[] share = new double[U];
        double[] toOld = new double[U];
        for (int u = 0; u < U; u++) {
          steps[n][t][u] = atH[t][u];
          boolean lstm = cell == RecurrentCell.LSTM;
          double in = lstm ? atH[t][u] + carried[u] : atH[t][u];
          double now = lstm ? c[t + 1][u] : h[t + 1][u];
          double before = lstm ? c[t][u] : h[t][u];
          toOld[u] = keep[t][u] * before * in / stabilised(now, epsilon);
          double toCandidate = update[t][u] * cand[t][u] * in / stabilised(now, epsilon);
          share[u] = toCandidate / stabilised(candIn[t][u], epsilon);
        }
        for (int f = 0; f < F; f++) {
          double sum = 0;
          for (int u = 0; u < U; u++) {
            sum += share[u] * w[f * g + 2 * U + u];
          }
          input[n][t][f] = x[(n * T + t) * F + f] * sum;
        }
        if (t > 0) {
          for (int k = 0; k < U; k++) {
            double sum = 0;
            for (int u = 0; u < U; u++) {
              sum += reset[t][u] * share[u] * r[k * g + 2 * U + u];
            }
            atH[t - 1][k] += h[t][k] * sum + (cell == RecurrentCell.LSTM ? 0 : toOld[k]);
          }
          carried = cell == RecurrentCell.LSTM ? toOld : new double[U];
        }
      }
    }
    return new double[][][][] {input, steps};
  }

  private static double[] draw(Random random, int n, double scale) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (scale * random.nextGaussian());
    }
    return v;
  }

  private static Operand<TFloat32> constant(Ops tf, double[] v, long... shape) {
    float[] f = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      f[i] = (float) v[i];
    }
    return tf.constant(Shape.of(shape), DataBuffers.of(f, true, false));
  }

  @ParameterizedTest(name = "{0}, every step {1}, biases {2}")
  @CsvSource({
    "LSTM, false, true",
    "LSTM, true, true",
    "GRU, false, true",
    "GRU, true, true",
    "LSTM, false, false",
    "GRU, true, false"
  })
  void theGateRulesGiveTheMatrixFormsRelevanceAndConserveItWithoutBiases(
      RecurrentCell cell, boolean seq, boolean biases) {
    Random random = new Random(5 + cell.ordinal() + (seq ? 10 : 0));
    int g = cell.gates() * U;
    double[] x = draw(random, N * T * F, 1.0);
    double[] w = draw(random, F * g, 0.8);
    double[] r = draw(random, U * g, 0.8);
    double[] b = draw(random, cell == RecurrentCell.LSTM ? g : 2 * g, biases ? 0.3 : 0);
    double[] rel = draw(random, seq ? N * T * U : N * U, 1.0);
    // With biases, Arras's ε; without, a tiny one, so that what is left is the rules' conservation.
    float epsilon = biases ? RecurrentLrp.EPSILON : 1e-7f;
    double[][][][] expected = reference(cell, x, w, r, b, rel, seq, epsilon);
    try (Graph graph = new Graph();
        Session session = new Session(graph)) {
      Ops tf = Ops.create(graph);
      Recurrent layer =
          new Recurrent(
              cell,
              constant(tf, w, F, g),
              constant(tf, r, U, g),
              constant(tf, b, cell.biasShape(U)),
              seq);
      RecurrentLrp.Relevance out =
          RecurrentLrp.propagate(
              tf,
              layer,
              constant(tf, x, N, T, F),
              constant(tf, rel, seq ? new long[] {N, T, U} : new long[] {N, U}),
              epsilon);
      try (var result = session.runner().fetch(out.input()).fetch(out.steps()).run()) {
        TFloat32 input = (TFloat32) result.get(0);
        TFloat32 steps = (TFloat32) result.get(1);
        for (int n = 0; n < N; n++) {
          double inputSum = 0, inSum = 0;
          for (int t = 0; t < T; t++) {
            for (int f = 0; f < F; f++) {
              double e = expected[0][n][t][f];
              assertEquals(
                  e,
                  input.getFloat(n, t, f),
                  1e-5 + 1e-4 * Math.abs(e),
                  "input " + n + "," + t + "," + f);
              inputSum += input.getFloat(n, t, f);
            }
            for (int u = 0; u < U; u++) {
              double e = expected[1][n][t][u];
              assertEquals(
                  e,
                  steps.getFloat(n, t, u),
                  1e-5 + 1e-4 * Math.abs(e),
                  "step " + n + "," + t + "," + u);
            }
          }
          for (int i = 0; i < (seq ? T * U : U); i++) {
            inSum += rel[n * (seq ? T * U : U) + i];
          }
          if (!biases) {
            assertEquals(inSum, inputSum, 1e-4 * Math.abs(inSum) + 1e-5, "conserved, example " + n);
          }
        }
      }
    }
  }
}
