package dev.dropwise.importance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dropwise.network.Activation;
import dev.dropwise.network.DenseWeights;
import dev.dropwise.network.FeatureShape;
import dev.dropwise.network.Network;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Input relevance on an MLP and on a small CNN (a convolution with BatchNorm, max pooling, Flatten,
 * two Dense layers), each checked against {@link MatrixNet}, the same network in float64 with every
 * rule written from its contributions; relative error at most 1e-5 of the example's largest
 * relevance.
 */
class InputRelevanceTest {
  static final int EXAMPLES = 3;
  static final int SIDE = 6;
  static final int CIN = 2;
  static final int FILTERS = 4;
  static final double EPSILON = 1e-6;
  static final double GAMMA = 0.25;

  /** A network both as TF ops (built per graph) and as its float64 reference. */
  record Case(Function<Ops, Network> network, MatrixNet reference, int features, boolean conv) {}

  final Random random = new Random(7);

  double[][] matrix(int in, int out, double shift) {
    double[][] m = new double[in][out];
    for (double[] row : m) {
      for (int j = 0; j < out; j++) {
        row[j] = (float) (random.nextGaussian() * Math.sqrt(2.0 / in) + shift);
      }
    }
    return m;
  }

  double[] vector(int n, double scale, double shift) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (random.nextGaussian() * scale + shift);
    }
    return v;
  }

  static float[][] floats(double[][] m) {
    float[][] f = new float[m.length][m[0].length];
    for (int i = 0; i < m.length; i++) {
      for (int j = 0; j < m[0].length; j++) {
        f[i][j] = (float) m[i][j];
      }
    }
    return f;
  }

  static float[] floats(double[] v) {
    float[] f = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      f[i] = (float) v[i];
    }
    return f;
  }

  /** 12-10-8-5, ReLU, with biases. */
  Case mlp(boolean biases) {
    double[][] w1 = matrix(12, 10, 0.05);
    double[][] w2 = matrix(10, 8, 0.05);
    double[][] w3 = matrix(8, 5, 0);
    double[] b1 = vector(10, biases ? 0.1 : 0, 0);
    double[] b2 = vector(8, biases ? 0.1 : 0, 0);
    double[] b3 = vector(5, biases ? 0.1 : 0, 0);
    MatrixNet reference =
        new MatrixNet(
            List.of(
                new MatrixNet.Affine(w1, b1, true),
                new MatrixNet.Affine(w2, b2, true),
                new MatrixNet.Affine(w3, b3, false)));
    Function<Ops, Network> network =
        tf ->
            Network.dense(
                tf,
                List.of(
                    new DenseWeights(floats(w1), floats(b1), Activation.RELU),
                    new DenseWeights(floats(w2), floats(b2), Activation.RELU),
                    new DenseWeights(floats(w3), floats(b3), Activation.LINEAR)));
    return new Case(network, reference, 12, false);
  }

  /** conv 3x3 (BatchNorm when {@code biases}) - maxpool 2 - flatten - dense 7 - dense 5. */
  Case cnn(boolean biases) {
    double[][][][] kernel = new double[3][3][CIN][FILTERS];
    for (double[][][] a : kernel) {
      for (double[][] b : a) {
        for (double[] c : b) {
          for (int f = 0; f < FILTERS; f++) {
            c[f] = (float) (random.nextGaussian() * 0.4 + 0.05);
          }
        }
      }
    }
    double[] bias = vector(FILTERS, biases ? 0.1 : 0, 0);
    double[] gamma = vector(FILTERS, 0.3, 1);
    double[] beta = vector(FILTERS, 0.1, 0);
    double[] mean = vector(FILTERS, 0.2, 0.1);
    double[] variance = {0.5, 1.5, 0.8, 2.0};
    float normEpsilon = 1e-3f;
    double[][] w2 = matrix(36, 7, 0.02);
    double[][] w3 = matrix(7, 5, 0);
    double[] b2 = vector(7, biases ? 0.1 : 0, 0);
    double[] b3 = vector(5, biases ? 0.1 : 0, 0);
    // The reference: the convolution unrolled, BatchNorm folded into it.
    double[][] unrolled = new double[SIDE * SIDE * CIN][SIDE * SIDE * FILTERS];
    double[] foldedBias = new double[SIDE * SIDE * FILTERS];
    for (int i = 0; i < SIDE; i++) {
      for (int j = 0; j < SIDE; j++) {
        for (int f = 0; f < FILTERS; f++) {
          double scale =
              biases ? (float) gamma[f] / Math.sqrt((float) variance[f] + normEpsilon) : 1;
          int q = (i * SIDE + j) * FILTERS + f;
          foldedBias[q] = biases ? (bias[f] - mean[f]) * scale + beta[f] : 0;
          for (int di = 0; di < 3; di++) {
            for (int dj = 0; dj < 3; dj++) {
              int si = i + di - 1;
              int sj = j + dj - 1;
              if (si >= 0 && sj >= 0 && si < SIDE && sj < SIDE) {
                for (int c = 0; c < CIN; c++) {
                  unrolled[(si * SIDE + sj) * CIN + c][q] = kernel[di][dj][c][f] * scale;
                }
              }
            }
          }
        }
      }
    }
    MatrixNet reference =
        new MatrixNet(
            List.of(
                new MatrixNet.Affine(unrolled, foldedBias, true),
                new MatrixNet.Pool(SIDE, FILTERS, 2),
                new MatrixNet.Affine(w2, b2, true),
                new MatrixNet.Affine(w3, b3, false)));
    float[][][][] k = new float[3][3][CIN][FILTERS];
    for (int a = 0; a < 3; a++) {
      for (int b = 0; b < 3; b++) {
        for (int c = 0; c < CIN; c++) {
          k[a][b][c] = floats(kernel[a][b][c]);
        }
      }
    }
    Function<Ops, Network> network =
        tf -> {
          Network.Norm norm =
              biases
                  ? new Network.Norm(
                      tf.constant(floats(gamma)),
                      tf.constant(floats(beta)),
                      tf.constant(floats(mean)),
                      tf.constant(floats(variance)),
                      normEpsilon,
                      0.99)
                  : null;
          return new Network(
              FeatureShape.map(SIDE, SIDE, CIN),
              List.of(
                  new Network.Linear(
                      Network.Kind.CONV,
                      tf.constant(k),
                      tf.constant(floats(bias)),
                      Activation.RELU,
                      1,
                      norm),
                  new Network.MaxPool(2),
                  new Network.Flatten(36),
                  Network.Linear.dense(
                      tf.constant(floats(w2)), tf.constant(floats(b2)), Activation.RELU),
                  Network.Linear.dense(
                      tf.constant(floats(w3)), tf.constant(floats(b3)), Activation.LINEAR)),
              List.of(
                  FeatureShape.map(SIDE, SIDE, FILTERS),
                  FeatureShape.map(3, 3, FILTERS),
                  FeatureShape.flat(36),
                  FeatureShape.flat(7),
                  FeatureShape.flat(5)));
        };
    return new Case(network, reference, SIDE * SIDE * CIN, true);
  }

  double[][] inputs(int features) {
    double[][] x = new double[EXAMPLES][features];
    for (double[] row : x) {
      for (int i = 0; i < features; i++) {
        row[i] = (float) random.nextDouble();
      }
    }
    return x;
  }

  /** Each example's predicted class by the reference. */
  static int[] predicted(MatrixNet net, double[][] x) {
    int[] c = new int[x.length];
    for (int e = 0; e < x.length; e++) {
      double[] logits = net.logits(x[e]);
      for (int k = 1; k < logits.length; k++) {
        c[e] = logits[k] > logits[c[e]] ? k : c[e];
      }
    }
    return c;
  }

  /** The attribution's relevance [examples][features] from the graph ops. */
  static float[][] relevance(
      Case net, InputAttribution attribution, double[][] x, int[] classes, InputSpace space) {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      float[][] xf = new float[x.length][];
      for (int e = 0; e < x.length; e++) {
        xf[e] = floats(x[e]);
      }
      Operand<TFloat32> out =
          attribution.relevance(
              tf, net.network().apply(tf), tf.constant(xf), tf.constant(classes), space);
      try (Session s = new Session(g);
          Result r = s.runner().fetch(out).run()) {
        TFloat32 t = (TFloat32) r.get(0);
        float[] flat = new float[(int) t.size()];
        t.copyTo(DataBuffers.of(flat, false, false));
        float[][] m = new float[x.length][net.features()];
        for (int e = 0; e < x.length; e++) {
          System.arraycopy(flat, e * net.features(), m[e], 0, net.features());
        }
        return m;
      }
    }
  }

  static void assertClose(double[] want, float[] got, String what) {
    double scale = 0;
    for (double v : want) {
      scale = Math.max(scale, Math.abs(v));
    }
    assertTrue(scale > 0, what + ": the reference is not all zero");
    for (int i = 0; i < want.length; i++) {
      assertEquals(want[i], got[i], 1e-5 * scale, what + ", feature " + i);
    }
  }

  /** The z^B box, per input feature, wider than the inputs' [0, 1) and different per feature. */
  static final double[] BOX_LOW = new double[SIDE * SIDE * CIN];

  static final double[] BOX_HIGH = new double[SIDE * SIDE * CIN];

  static {
    for (int i = 0; i < BOX_LOW.length; i++) {
      BOX_LOW[i] = (float) (-0.1 - 0.05 * (i % 7));
      BOX_HIGH[i] = (float) (1.1 + 0.03 * (i % 5));
    }
  }

  /** {@link #BOX_LOW} and {@link #BOX_HIGH} for the first {@code features} inputs. */
  static InputSpace box(int features) {
    return new InputSpace(
        floats(Arrays.copyOf(BOX_LOW, features)),
        floats(Arrays.copyOf(BOX_HIGH, features)),
        new float[] {0f});
  }

  /** The reference's rule of each of its layers under a composite (its pooling gets none). */
  static List<MatrixNet.Rule> rules(Case net, String composite) {
    List<String> named = LrpComposite.NAMED.get(composite);
    List<MatrixNet.Rule> out = new ArrayList<>();
    for (int l = 0; l < net.reference().layers.size(); l++) {
      boolean convolution = net.conv() && l == 0;
      String rule = convolution ? named.get(1) : named.get(0);
      String first = named.get(2);
      if (l == 0 && first.equals(LrpComposite.ZBOX_IF_CONV)) {
        rule = net.conv() ? "zbox" : rule; // zennit: z^B on a convolution, a Dense layer's own rule
      } else if (l == 0 && !first.equals(LrpComposite.BY_KIND)) {
        rule = first;
      }
      out.add(new MatrixNet.Rule(rule, EPSILON, GAMMA, BOX_LOW, BOX_HIGH));
    }
    return out;
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "epsilon",
        "epsilon-plus",
        "epsilon-alpha2beta1",
        "epsilon-gamma-box",
        "epsilon-plus-flat",
        "epsilon-alpha2beta1-flat"
      })
  void everyCompositeMatchesItsFloat64Form(String composite) {
    for (Case net : List.of(mlp(true), cnn(true))) {
      double[][] x = inputs(net.features());
      int[] classes = predicted(net.reference(), x);
      float[][] got =
          relevance(
              net,
              InputAttributions.parse("lrp:composite=" + composite),
              x,
              classes,
              box(net.features()));
      for (int e = 0; e < EXAMPLES; e++) {
        assertClose(
            net.reference().lrp(x[e], classes[e], rules(net, composite)),
            got[e],
            composite + (net.conv() ? " on the CNN" : " on the MLP") + ", example " + e);
      }
    }
  }

  /**
   * As zennit's EpsilonGammaBox: an MLP's Dense first layer gets ε, not z^B (which that composite
   * gives to convolutions); asked for explicitly, z^B applies to it.
   */
  @Test
  void epsilonGammaBoxGivesADenseFirstLayerEpsilonUnlessToldOtherwise() {
    Case net = mlp(true);
    double[][] x = inputs(net.features());
    int[] classes = predicted(net.reference(), x);
    float[][] box = relevance(net, InputAttributions.parse("lrp"), x, classes, box(12));
    float[][] eps =
        relevance(net, InputAttributions.parse("lrp:composite=epsilon"), x, classes, box(12));
    float[][] forced =
        relevance(net, InputAttributions.parse("lrp:first=zbox"), x, classes, box(12));
    List<MatrixNet.Rule> zboxFirst = new ArrayList<>(rules(net, "epsilon"));
    zboxFirst.set(0, new MatrixNet.Rule("zbox", EPSILON, GAMMA, BOX_LOW, BOX_HIGH));
    for (int e = 0; e < EXAMPLES; e++) {
      assertArrayEquals(eps[e], box[e], "example " + e);
      assertClose(net.reference().lrp(x[e], classes[e], zboxFirst), forced[e], "first=zbox");
    }
  }

  /**
   * Without biases and with ε near 0, the rules that conserve relevance pass all of the explained
   * logit to the input: z^B and flat on the first layer, γ, z+ and α2β1 above it.
   */
  @ParameterizedTest
  @ValueSource(strings = {"epsilon-gamma-box", "epsilon-plus-flat", "epsilon-alpha2beta1-flat"})
  void withoutBiasesTheInputRelevanceSumsToTheLogit(String composite) {
    for (Case net : List.of(mlp(false), cnn(false))) {
      double[][] x = inputs(net.features());
      int[] classes = predicted(net.reference(), x);
      float[][] got =
          relevance(
              net,
              InputAttributions.parse("lrp:composite=" + composite + ",epsilon=1e-9"),
              x,
              classes,
              box(net.features()));
      for (int e = 0; e < EXAMPLES; e++) {
        double logit = net.reference().logits(x[e])[classes[e]];
        double sum = 0;
        for (float r : got[e]) {
          sum += r;
        }
        assertTrue(logit > 0, "the explained logit is positive");
        assertEquals(logit, sum, 1e-5 * logit, composite + ", example " + e);
      }
    }
  }

  @Test
  void gradientAndGradientTimesInputMatchTheChainRule() {
    for (Case net : List.of(mlp(true), cnn(true))) {
      double[][] x = inputs(net.features());
      int[] classes = predicted(net.reference(), x);
      float[][] gradient =
          relevance(net, InputAttributions.parse("gradient"), x, classes, InputSpace.unit());
      float[][] timesInput =
          relevance(
              net, InputAttributions.parse("gradient-x-input"), x, classes, InputSpace.unit());
      for (int e = 0; e < EXAMPLES; e++) {
        double[] want = net.reference().gradient(x[e], classes[e]);
        assertClose(want, gradient[e], "gradient, example " + e);
        double[] product = new double[want.length];
        for (int i = 0; i < want.length; i++) {
          product[i] = want[i] * x[e][i];
        }
        assertClose(product, timesInput[e], "gradient x input, example " + e);
      }
    }
  }

  /**
   * Integrated gradients match the midpoint sum computed here, and are complete: they sum to the
   * logit's change from the baseline, with an error that falls as the steps grow.
   */
  @Test
  void integratedGradientsMatchTheirSumAndAreComplete() {
    for (Case net : List.of(mlp(true), cnn(true))) {
      double[][] x = inputs(net.features());
      int[] classes = predicted(net.reference(), x);
      double[] baseline = new double[net.features()];
      Arrays.fill(baseline, 0.2);
      InputSpace space = InputSpace.unit().withBaseline(new float[] {0.2f});
      double[] previousError = new double[EXAMPLES];
      for (int steps : new int[] {4, 64, 1024}) {
        float[][] got =
            relevance(
                net,
                InputAttributions.parse("integrated-gradients:steps=" + steps),
                x,
                classes,
                space);
        for (int e = 0; e < EXAMPLES; e++) {
          double[] want = new double[net.features()];
          for (int i = 1; i <= steps; i++) {
            double alpha = (i - 0.5) / steps;
            double[] point = new double[net.features()];
            for (int f = 0; f < point.length; f++) {
              point[f] = baseline[f] + alpha * (x[e][f] - baseline[f]);
            }
            double[] g = net.reference().gradient(point, classes[e]);
            for (int f = 0; f < point.length; f++) {
              want[f] += g[f] * (x[e][f] - baseline[f]) / steps;
            }
          }
          if (steps <= 64) {
            assertClose(want, got[e], "integrated gradients, " + steps + " steps, example " + e);
          }
          double change =
              net.reference().logits(x[e])[classes[e]]
                  - net.reference().logits(baseline)[classes[e]];
          double sum = 0;
          for (float v : got[e]) {
            sum += v;
          }
          double error = Math.abs(sum - change);
          if (steps == 1024) {
            assertTrue(
                error <= 1e-3 * Math.abs(change) + 1e-5,
                "complete within 0.1% at 1024 steps: error " + error + " of " + change);
          }
          if (steps > 4) {
            assertTrue(
                error <= previousError[e] + 1e-5 * Math.abs(change),
                steps + " steps: error " + error + " after " + previousError[e]);
          }
          previousError[e] = error;
        }
      }
    }
  }

  /** SmoothGrad without noise is the gradient; its noise is the same for the same seed. */
  @Test
  void smoothGradIsTheGradientWithoutNoiseAndReproducibleWithIt() {
    Case net = cnn(true);
    double[][] x = inputs(net.features());
    int[] classes = predicted(net.reference(), x);
    InputSpace space = InputSpace.unit();
    float[][] noiseless =
        relevance(net, InputAttributions.parse("smoothgrad:noise=0"), x, classes, space);
    for (int e = 0; e < EXAMPLES; e++) {
      assertClose(net.reference().gradient(x[e], classes[e]), noiseless[e], "noise 0");
    }
    float[][] first = relevance(net, InputAttributions.parse("smoothgrad"), x, classes, space);
    float[][] again = relevance(net, InputAttributions.parse("smoothgrad"), x, classes, space);
    float[][] other =
        relevance(net, InputAttributions.parse("smoothgrad:seed=2"), x, classes, space);
    for (int e = 0; e < EXAMPLES; e++) {
      assertArrayEquals(first[e], again[e], "the same seed, the same numbers");
      assertFalse(Arrays.equals(first[e], other[e]), "another seed, other noise");
      assertFalse(Arrays.equals(first[e], noiseless[e]), "the noise changes it");
    }
  }

  @Test
  void aRuleWhereItDoesNotApplyIsRefusedWithTheLayerAndTheChoices() {
    var e =
        assertThrows(
            IllegalArgumentException.class, () -> InputAttributions.parse("lrp:dense=zbox"));
    assertEquals(
        "dense=zbox is not allowed: zbox applies to the first layer only (it explains the input);"
            + " dense layers take eps, zplus, alpha1beta0, alpha2beta1, gamma",
        e.getMessage());
    var unknown =
        assertThrows(
            IllegalArgumentException.class, () -> InputAttributions.parse("lrp:composite=box"));
    assertTrue(unknown.getMessage().startsWith("composite=box is not allowed; use one of epsilon"));
    assertThrows(
        IllegalArgumentException.class,
        () -> InputAttributions.parse("integrated-gradients:steps=0"));
  }

  /** The canonical text writes what differs from the defaults, and reads back the same. */
  @Test
  void textsRoundTrip() {
    for (String text :
        List.of(
            "lrp",
            "lrp:composite=epsilon-plus-flat",
            "lrp:composite=epsilon-plus,first=zbox",
            "gradient",
            "gradient-x-input",
            "integrated-gradients:steps=8",
            "smoothgrad:samples=4,noise=0.1,seed=3")) {
      InputAttribution a = InputAttributions.parse(text);
      assertEquals(text, a.text());
      assertEquals(a, InputAttributions.parse(a.text()));
    }
  }
}
