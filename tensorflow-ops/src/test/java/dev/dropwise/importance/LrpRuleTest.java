package dev.dropwise.importance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LrpRuleTest {

  /**
   * Reference: relevance of the inputs of layer {@code l} for one example, written entry by entry
   * from the rules' definitions (not their matrix forms).
   */
  static double[] reference(SmallNet net, String rule, double[] a, int l, double[] rOut) {
    int in = net.widths[l];
    int out = net.widths[l + 1];
    double[] rIn = new double[in];
    for (int k = 0; k < out; k++) {
      double zk = net.b[l][k];
      double zPos = 0;
      double zNeg = 0;
      double zGamma = net.b[l][k] + 0.25 * Math.max(0, net.b[l][k]);
      for (int j = 0; j < in; j++) {
        double c = a[j] * net.w[l][j][k];
        zk += c;
        zPos += Math.max(0, c);
        zNeg += Math.min(0, c);
        zGamma += a[j] * (net.w[l][j][k] + 0.25 * Math.max(0, net.w[l][j][k]));
      }
      for (int j = 0; j < in; j++) {
        double c = a[j] * net.w[l][j][k];
        double share =
            switch (rule) {
              case "eps" -> c / (zk + 0.01 * (zk >= 0 ? 1 : -1));
              case "zplus", "alpha1beta0" -> zPos == 0 ? 0 : Math.max(0, c) / zPos;
              case "alpha2beta1" ->
                  (zPos == 0 ? 0 : 2 * Math.max(0, c) / zPos)
                      - (zNeg == 0 ? 0 : Math.min(0, c) / zNeg);
              case "gamma" ->
                  a[j]
                      * (net.w[l][j][k] + 0.25 * Math.max(0, net.w[l][j][k]))
                      / (zGamma + 1e-6 * (zGamma >= 0 ? 1 : -1));
              default -> throw new IllegalArgumentException(rule);
            };
        rIn[j] += share * rOut[k];
      }
    }
    return rIn;
  }

  static LrpRule rule(String name) {
    return switch (name) {
      case "eps" -> new LrpRule.Epsilon(0.01f);
      case "zplus" -> new LrpRule.ZPlus();
      case "alpha1beta0" -> new LrpRule.AlphaBeta(1, 0);
      case "alpha2beta1" -> new LrpRule.AlphaBeta(2, 1);
      case "gamma" -> new LrpRule.Gamma(0.25f, 1e-6f);
      default -> throw new IllegalArgumentException(name);
    };
  }

  @ParameterizedTest
  @ValueSource(strings = {"eps", "zplus", "alpha1beta0", "alpha2beta1", "gamma"})
  void eachRuleMatchesItsDefinitionEntryByEntry(String name) {
    SmallNet net = new SmallNet(17, true, 6, 5, 7, 6, 4);
    List<float[][]> got =
        SmallNet.evaluate(
            tf -> {
              var stack = net.stack(tf);
              var ops = ImportanceOps.create(tf);
              var forward = stack.forward(tf, net.input(tf));
              return ops.lrp(
                  stack, forward, rule(name), ops.targetClass(forward, Target.PREDICTED, null));
            });
    for (int e = 0; e < net.x.length; e++) {
      double[][] a = net.forward(net.x[e]);
      int c = net.argMax(a[3]);
      double[] r = new double[4];
      r[c] = a[3][c];
      double[] r2 = reference(net, name, a[2], 2, r);
      double[] r1 = reference(net, name, a[1], 1, r2);
      for (int k = 0; k < 6; k++) {
        assertEquals(
            r2[k],
            got.get(1)[e][k],
            1e-4 * (1 + Math.abs(r2[k])),
            name + " layer 2, example " + e + ", unit " + k);
      }
      for (int k = 0; k < 7; k++) {
        assertEquals(
            r1[k],
            got.get(0)[e][k],
            1e-4 * (1 + Math.abs(r1[k])),
            name + " layer 1, example " + e + ", unit " + k);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"eps0", "zplus"})
  void relevanceIsConservedLayerByLayerWithoutBiases(String name) {
    SmallNet net = new SmallNet(3, false, 8, 10, 16, 12, 5);
    LrpRule rule = name.equals("eps0") ? new LrpRule.Epsilon(1e-9f) : new LrpRule.ZPlus();
    List<float[][]> got =
        SmallNet.evaluate(
            tf -> {
              var stack = net.stack(tf);
              var ops = ImportanceOps.create(tf);
              var forward = stack.forward(tf, net.input(tf));
              return ops.lrp(
                  stack, forward, rule, ops.targetClass(forward, Target.PREDICTED, null));
            });
    for (int e = 0; e < net.x.length; e++) {
      double[] logits = net.forward(net.x[e])[3];
      double seeded = logits[net.argMax(logits)];
      for (int layer = 0; layer < 2; layer++) {
        double sum = 0;
        for (float v : got.get(layer)[e]) {
          sum += v;
        }
        assertEquals(
            seeded,
            sum,
            1e-4 * Math.abs(seeded),
            name + ": example " + e + ", hidden layer " + layer);
      }
    }
  }

  @Test
  void alphaBetaRefusesUnbalancedWeights() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new LrpRule.AlphaBeta(2, 0));
    assertTrue(e.getMessage().contains("alpha - beta = 1"));
  }
}
