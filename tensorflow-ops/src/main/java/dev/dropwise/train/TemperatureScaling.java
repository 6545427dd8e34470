package dev.dropwise.train;

/**
 * Temperature scaling (Guo et al. 2017): one temperature {@code T > 0} divides every logit, fitted
 * to minimise the negative log-likelihood of held-out examples. The most probable class, so the
 * accuracy, does not change; only how sure the model says it is.
 *
 * <p>The fit minimises {@code L(β) = (1/n) Σ_i [log Σ_c exp(β z_ic) − β z_iy]} over {@code β =
 * 1/T}, which is convex in β (a log-sum-exp of lines less a line), by Newton's method with step
 * halving, from β = 1, until {@code |L'(β)| < 1e-10}. β is kept in [{@link #MAX_T}⁻¹, {@link
 * #MIN_T}⁻¹]: where every held-out example is right with a margin, L falls all the way to T → 0,
 * and the fit stops where its slope is below 1e-10 (the NLL then below about 1e-10 too), or at
 * {@link #MIN_T}.
 */
public final class TemperatureScaling {
  private TemperatureScaling() {}

  /** The smallest temperature a fit returns. */
  public static final double MIN_T = 1e-3;

  /** The largest temperature a fit returns. */
  public static final double MAX_T = 1e3;

  /** The temperature that minimises the NLL of {@code labels} under {@code logits / T}. */
  public static double fit(float[] logits, int[] labels, int classes) {
    check(logits, labels, classes);
    double beta = 1;
    for (int iteration = 0; iteration < 100; iteration++) {
      double[] d = derivatives(logits, labels, classes, beta);
      if (Math.abs(d[1]) < 1e-10 || d[2] <= 0) {
        break;
      }
      double next = Math.max(1 / MAX_T, Math.min(1 / MIN_T, beta - d[1] / d[2]));
      // Newton's step may overshoot on a flat stretch: halve it until the loss falls.
      while (loss(logits, labels, classes, next) > d[0] && Math.abs(next - beta) > 1e-15) {
        next = (next + beta) / 2;
      }
      if (next == beta) {
        break;
      }
      beta = next;
    }
    return 1 / beta;
  }

  /** The mean NLL of {@code labels} under {@code softmax(logits / temperature)}. */
  public static double nll(float[] logits, int[] labels, int classes, double temperature) {
    check(logits, labels, classes);
    return loss(logits, labels, classes, 1 / temperature);
  }

  /** {@code softmax(logits / temperature)}, row by row. */
  public static float[] probabilities(float[] logits, int classes, double temperature) {
    float[] p = new float[logits.length];
    for (int row = 0; row < logits.length / classes; row++) {
      double max = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < classes; c++) {
        max = Math.max(max, logits[row * classes + c] / temperature);
      }
      double sum = 0;
      for (int c = 0; c < classes; c++) {
        sum += Math.exp(logits[row * classes + c] / temperature - max);
      }
      for (int c = 0; c < classes; c++) {
        p[row * classes + c] =
            (float) (Math.exp(logits[row * classes + c] / temperature - max) / sum);
      }
    }
    return p;
  }

  private static double loss(float[] logits, int[] labels, int classes, double beta) {
    return derivatives(logits, labels, classes, beta)[0];
  }

  /** {@code [L(β), L'(β), L''(β)]}: L' the mean of E_softmax[z] − z_y, L'' the mean variance. */
  private static double[] derivatives(float[] logits, int[] labels, int classes, double beta) {
    double loss = 0;
    double first = 0;
    double second = 0;
    for (int i = 0; i < labels.length; i++) {
      double max = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < classes; c++) {
        max = Math.max(max, beta * logits[i * classes + c]);
      }
      double sum = 0;
      double mean = 0;
      double squares = 0;
      for (int c = 0; c < classes; c++) {
        double z = logits[i * classes + c];
        double w = Math.exp(beta * z - max);
        sum += w;
        mean += w * z;
        squares += w * z * z;
      }
      mean /= sum;
      double z = logits[i * classes + labels[i]];
      loss += max + Math.log(sum) - beta * z;
      first += mean - z;
      second += squares / sum - mean * mean;
    }
    int n = labels.length;
    return new double[] {loss / n, first / n, second / n};
  }

  private static void check(float[] logits, int[] labels, int classes) {
    if (labels.length == 0 || logits.length != (long) labels.length * classes) {
      throw new IllegalArgumentException(
          logits.length + " logits for " + labels.length + " examples of " + classes + " classes");
    }
  }
}
