package dev.dropwise.importance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.types.TFloat32;

class GradientAndConductanceTest {

  @Test
  void gradientMagnitudeMatchesCentralFiniteDifferences() {
    SmallNet net = new SmallNet(5, true, 4, 6, 8, 7, 3);
    List<float[][]> got =
        SmallNet.evaluate(
            tf -> {
              var stack = net.stack(tf);
              var ops = ImportanceOps.create(tf);
              var forward = stack.forward(tf, net.input(tf));
              List<org.tensorflow.Operand<TFloat32>> out =
                  new ArrayList<>(
                      ops.gradientMagnitude(
                          forward, ops.targetClass(forward, Target.PREDICTED, null)));
              out.addAll(
                  ops.gradientTimesActivation(
                      forward, ops.targetClass(forward, Target.PREDICTED, null)));
              return out;
            });
    double h = 1e-4;
    for (int e = 0; e < net.x.length; e++) {
      double[][] a = net.forward(net.x[e]);
      int c = net.argMax(a[3]);
      for (int layer = 1; layer <= 2; layer++) {
        for (int k = 0; k < net.widths[layer]; k++) {
          double[] up = a[layer].clone();
          double[] down = a[layer].clone();
          up[k] += h;
          down[k] -= h;
          double fd = (net.logitsFrom(layer, up)[c] - net.logitsFrom(layer, down)[c]) / (2 * h);
          assertEquals(
              Math.abs(fd),
              got.get(layer - 1)[e][k],
              1e-3,
              "|dy/da| layer " + layer + " unit " + k);
          assertEquals(
              fd * a[layer][k],
              got.get(layer + 1)[e][k],
              1e-3,
              "dy/da * a, layer " + layer + " unit " + k);
        }
      }
    }
  }

  @Test
  void conductanceSumsToTheOutputChangeWithShrinkingError() {
    SmallNet net = new SmallNet(11, true, 5, 8, 12, 10, 4);
    // A right Riemann sum over a piecewise-linear path need not improve at every step count; over
    // a geometric sequence it does.
    int[] steps = {4, 16, 64, 256};
    double[] error = new double[steps.length];
    for (int s = 0; s < steps.length; s++) {
      int n = steps[s];
      List<float[][]> got =
          SmallNet.evaluate(
              tf ->
                  ImportanceOps.create(tf)
                      .conductance(net.stack(tf), net.input(tf), n, Target.PREDICTED, null, false));
      for (int e = 0; e < net.x.length; e++) {
        double[] logits = net.forward(net.x[e])[3];
        int c = net.argMax(logits);
        double change = logits[c] - net.forward(new double[8])[3][c];
        for (int layer = 0; layer < 2; layer++) {
          double sum = 0;
          for (float v : got.get(layer)[e]) {
            sum += v;
          }
          error[s] += Math.abs(sum - change) / Math.abs(change);
        }
      }
      error[s] /= net.x.length * 2;
    }
    for (int s = 1; s < steps.length; s++) {
      assertTrue(
          error[s] <= error[s - 1] + 1e-6,
          "error grows from "
              + steps[s - 1]
              + " to "
              + steps[s]
              + " steps: "
              + Arrays.toString(error));
    }
    assertTrue(
        error[steps.length - 1] < 0.01,
        "mean relative completeness error at 256 steps: " + error[steps.length - 1]);
    assertTrue(error[steps.length - 1] < error[0] / 5, Arrays.toString(error));
  }

  /**
   * The factored path ({@code (αx)W} taken as {@code α(xW)}, the baseline as one row) computes the
   * same conductance as running every point through the network, up to float rounding.
   */
  @Test
  void theFactoredPathGivesTheExactPathsConductanceUpToRounding() {
    SmallNet net = new SmallNet(7, true, 6, 20, 16, 12, 5);
    for (int steps : new int[] {1, 5, 16}) {
      List<float[][]> exact =
          SmallNet.evaluate(
              tf ->
                  ImportanceOps.create(tf)
                      .conductance(
                          net.stack(tf), net.input(tf), steps, Target.PREDICTED, null, false));
      List<float[][]> factored =
          SmallNet.evaluate(
              tf ->
                  ImportanceOps.create(tf)
                      .conductance(
                          net.stack(tf), net.input(tf), steps, Target.PREDICTED, null, true));
      assertEquals(exact.size(), factored.size());
      for (int layer = 0; layer < exact.size(); layer++) {
        double scale = 0;
        for (float[] row : exact.get(layer)) {
          for (float v : row) {
            scale = Math.max(scale, Math.abs(v));
          }
        }
        assertTrue(scale > 0, "layer " + layer + " has non-zero conductance");
        for (int e = 0; e < net.x.length; e++) {
          for (int k = 0; k < exact.get(layer)[e].length; k++) {
            assertEquals(
                exact.get(layer)[e][k],
                factored.get(layer)[e][k],
                1e-5 * scale,
                steps + " steps, layer " + layer + ", example " + e + ", unit " + k);
          }
        }
      }
    }
  }
}
