package dev.dropwise.network;

/**
 * Keras's LSTM and GRU cells written in float64 from their definitions ({@link RecurrentCell}'s
 * comment), the tests' independent reference: every step's output {@code [N][T][U]} for an input
 * {@code x [N, T, F]}, kernel {@code w [F, G·U]}, recurrent kernel {@code rk [U, G·U]} and bias
 * {@code b} (an LSTM's {@code [4U]}, a GRU's input then recurrent bias {@code [2, 3U]}), all flat,
 * row-major.
 */
public final class RecurrentReference {
  private RecurrentReference() {}

  /** An output value changed by {@code by} where it is made, before anything uses it. */
  public record Nudge(int example, int step, int unit, double by) {}

  static double sigmoid(double z) {
    return 1 / (1 + Math.exp(-z));
  }

  /**
   * Every step's output {@code [N][T][U]}, from the cells' definitions (class comment of the cell).
   */
  public static double[][][] outputs(
      RecurrentCell kind,
      double[] x,
      double[] w,
      double[] rk,
      double[] b,
      int N,
      int T,
      int F,
      int U,
      Nudge nudge) {
    int g = kind.gates() * U;
    double[][][] out = new double[N][T][U];
    for (int n = 0; n < N; n++) {
      double[] h = new double[U];
      double[] cell = new double[U];
      for (int t = 0; t < T; t++) {
        double[] zx = new double[g];
        double[] zh = new double[g];
        for (int j = 0; j < g; j++) {
          zx[j] = b[j]; // an LSTM's only bias, a GRU's input bias
          zh[j] = kind == RecurrentCell.LSTM ? 0 : b[g + j];
          for (int f = 0; f < F; f++) {
            zx[j] += x[(n * T + t) * F + f] * w[f * g + j];
          }
          for (int u = 0; u < U; u++) {
            zh[j] += h[u] * rk[u * g + j];
          }
        }
        double[] next = new double[U];
        for (int u = 0; u < U; u++) {
          if (kind == RecurrentCell.LSTM) {
            double i = sigmoid(zx[u] + zh[u]);
            double f = sigmoid(zx[U + u] + zh[U + u]);
            double candidate = Math.tanh(zx[2 * U + u] + zh[2 * U + u]);
            double o = sigmoid(zx[3 * U + u] + zh[3 * U + u]);
            cell[u] = f * cell[u] + i * candidate;
            next[u] = o * Math.tanh(cell[u]);
          } else {
            double z = sigmoid(zx[u] + zh[u]);
            double r = sigmoid(zx[U + u] + zh[U + u]);
            double candidate = Math.tanh(zx[2 * U + u] + r * zh[2 * U + u]);
            next[u] = z * h[u] + (1 - z) * candidate;
          }
        }
        if (nudge != null && nudge.example() == n && nudge.step() == t) {
          next[nudge.unit()] += nudge.by();
        }
        h = next;
        out[n][t] = next.clone();
      }
    }
    return out;
  }
}
