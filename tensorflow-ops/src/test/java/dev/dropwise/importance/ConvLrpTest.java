package dev.dropwise.importance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dropwise.network.Activation;
import dev.dropwise.network.FeatureShape;
import dev.dropwise.network.Network;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/** LRP through convolution, max pooling, Flatten and a folded BatchNorm. */
class ConvLrpTest {
  static final int SIDE = 6;
  static final int IN_CHANNELS = 2;
  static final int FILTERS = 3;
  static final int EXAMPLES = 4;
  final Random random = new Random(21);

  float[][][][] kernel(int k, int cin, int cout, double shift) {
    float[][][][] w = new float[k][k][cin][cout];
    for (float[][][] a : w) {
      for (float[][] b : a) {
        for (float[] c : b) {
          for (int o = 0; o < cout; o++) {
            c[o] = (float) (random.nextGaussian() * 0.5 + shift);
          }
        }
      }
    }
    return w;
  }

  float[] positiveInput(int size) {
    float[] x = new float[EXAMPLES * size];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) random.nextDouble();
    }
    return x;
  }

  static float[] run(Graph g, Operand<TFloat32> out) {
    try (Session s = new Session(g);
        Result r = s.runner().fetch(out).run()) {
      TFloat32 t = (TFloat32) r.get(0);
      float[] v = new float[(int) t.size()];
      t.copyTo(DataBuffers.of(v, false, false));
      return v;
    }
  }

  /** A 3x3 SAME convolution as an explicit [in, out] matrix over NHWC-flattened positions. */
  static float[][] unrolled(float[][][][] w, int side) {
    int cin = w[0][0].length;
    int cout = w[0][0][0].length;
    float[][] m = new float[side * side * cin][side * side * cout];
    for (int i = 0; i < side; i++) {
      for (int j = 0; j < side; j++) {
        for (int di = 0; di < 3; di++) {
          for (int dj = 0; dj < 3; dj++) {
            int si = i + di - 1;
            int sj = j + dj - 1;
            if (si < 0 || sj < 0 || si >= side || sj >= side) {
              continue;
            }
            for (int c = 0; c < cin; c++) {
              for (int f = 0; f < cout; f++) {
                m[(si * side + sj) * cin + c][(i * side + j) * cout + f] += w[di][dj][c][f];
              }
            }
          }
        }
      }
    }
    return m;
  }

  /**
   * Each rule on a convolution equals the same rule on the convolution written out as a Dense
   * matrix.
   */
  @ParameterizedTest
  @ValueSource(strings = {"eps", "zplus", "alpha2beta1", "gamma"})
  void convolutionRulesEqualTheRulesOnTheUnrolledMatrix(String ruleName) {
    LrpRule rule = LrpRuleTest.rule(ruleName);
    float[][][][] w = kernel(3, IN_CHANNELS, FILTERS, 0.05);
    float[] bias = {0.1f, -0.2f, 0.05f};
    float[] x = positiveInput(SIDE * SIDE * IN_CHANNELS);
    float[] r = positiveInput(SIDE * SIDE * FILTERS);
    float[] viaConv;
    float[] viaMatrix;
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      var conv =
          new Network.Linear(
              Network.Kind.CONV, tf.constant(w), tf.constant(bias), Activation.RELU, 1, null);
      Operand<TFloat32> a =
          tf.constant(Shape.of(EXAMPLES, SIDE, SIDE, IN_CHANNELS), DataBuffers.of(x, true, false));
      Operand<TFloat32> rOut =
          tf.constant(Shape.of(EXAMPLES, SIDE, SIDE, FILTERS), DataBuffers.of(r, true, false));
      viaConv = run(g, rule.propagate(tf, a, conv, rOut));
    }
    float[] tiledBias = new float[SIDE * SIDE * FILTERS];
    for (int q = 0; q < tiledBias.length; q++) {
      tiledBias[q] = bias[q % FILTERS];
    }
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      var dense =
          Network.Linear.dense(
              tf.constant(unrolled(w, SIDE)), tf.constant(tiledBias), Activation.RELU);
      Operand<TFloat32> a =
          tf.constant(
              Shape.of(EXAMPLES, SIDE * SIDE * IN_CHANNELS), DataBuffers.of(x, true, false));
      Operand<TFloat32> rOut =
          tf.constant(Shape.of(EXAMPLES, SIDE * SIDE * FILTERS), DataBuffers.of(r, true, false));
      viaMatrix = run(g, rule.propagate(tf, a, dense, rOut));
    }
    assertEquals(viaMatrix.length, viaConv.length);
    for (int i = 0; i < viaConv.length; i++) {
      assertEquals(
          viaMatrix[i], viaConv[i], 1e-4 * (1 + Math.abs(viaMatrix[i])), ruleName + " entry " + i);
    }
  }

  /**
   * Conservation on a bias-free ReLU CNN (conv, max-pool, conv, flatten, dense): with z+ and with ε
   * near 0, every hidden layer's relevance sums to the explained logit, per example; max pooling
   * passes each window's relevance to one position.
   */
  @ParameterizedTest
  @ValueSource(strings = {"zplus", "eps0"})
  void relevanceIsConservedThroughConvolutionPoolingAndFlatten(String ruleName) {
    LrpRule rule = ruleName.equals("zplus") ? new LrpRule.ZPlus() : new LrpRule.Epsilon(1e-9f);
    float[] x = positiveInput(SIDE * SIDE * IN_CHANNELS);
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      List<Network.Layer> layers =
          List.of(
              new Network.Linear(
                  Network.Kind.CONV,
                  tf.constant(kernel(3, IN_CHANNELS, 4, 0.1)),
                  tf.constant(new float[4]),
                  Activation.RELU,
                  1,
                  null),
              new Network.MaxPool(2),
              new Network.Linear(
                  Network.Kind.CONV,
                  tf.constant(kernel(3, 4, FILTERS, 0.1)),
                  tf.constant(new float[FILTERS]),
                  Activation.RELU,
                  1,
                  null),
              new Network.Flatten(3 * 3 * FILTERS),
              Network.Linear.dense(
                  tf.constant(matrix(3 * 3 * FILTERS, 5)),
                  tf.constant(new float[5]),
                  Activation.LINEAR));
      Network net =
          new Network(
              FeatureShape.map(SIDE, SIDE, IN_CHANNELS),
              layers,
              List.of(
                  FeatureShape.map(SIDE, SIDE, 4),
                  FeatureShape.map(3, 3, 4),
                  FeatureShape.map(3, 3, FILTERS),
                  FeatureShape.flat(27),
                  FeatureShape.flat(5)));
      Operand<TFloat32> input =
          tf.constant(
              Shape.of(EXAMPLES, SIDE * SIDE * IN_CHANNELS), DataBuffers.of(x, true, false));
      ImportanceOps ops = ImportanceOps.create(tf);
      Network.Forward forward = net.forward(tf, input);
      Operand<TInt32> classes = ops.targetClass(forward, Target.PREDICTED, null);
      List<Operand<TFloat32>> relevance = ops.lrp(net, forward, rule, classes);
      assertEquals(4, relevance.size());
      float[] logits = run(g, forward.logits());
      float[] pooledInput = run(g, relevance.get(0));
      for (int l = 0; l < relevance.size(); l++) {
        float[] r = run(g, relevance.get(l));
        float[] perChannel = run(g, ops.channelTotals(relevance.get(l)));
        int size = r.length / EXAMPLES;
        int units = perChannel.length / EXAMPLES;
        for (int e = 0; e < EXAMPLES; e++) {
          float max = Float.NEGATIVE_INFINITY;
          for (int c = 0; c < 5; c++) {
            max = Math.max(max, logits[e * 5 + c]);
          }
          assertTrue(max > 0, "the explained logit is positive");
          double total = 0;
          for (int q = 0; q < size; q++) {
            total += r[e * size + q];
          }
          double channels = 0;
          for (int u = 0; u < units; u++) {
            channels += perChannel[e * units + u];
          }
          assertEquals(
              max, total, 1e-4 * Math.abs(max), ruleName + ": layer " + l + ", example " + e);
          assertEquals(total, channels, 1e-4 * Math.abs(max), "channel totals keep the sum");
        }
      }
      // The first conv's output (6x6x4) gets relevance only at the maximum of each 2x2 window.
      for (int e = 0; e < EXAMPLES; e++) {
        for (int bi = 0; bi < 3; bi++) {
          for (int bj = 0; bj < 3; bj++) {
            for (int c = 0; c < 4; c++) {
              int nonZero = 0;
              for (int q = 0; q < 4; q++) {
                int i = 2 * bi + q / 2;
                int j = 2 * bj + q % 2;
                nonZero += pooledInput[((e * SIDE + i) * SIDE + j) * 4 + c] != 0f ? 1 : 0;
              }
              assertTrue(nonZero <= 1, "winner takes all in each pooling window");
            }
          }
        }
      }
    }
  }

  /**
   * Conductance on a CNN with biases: the factored path (the first convolution taken once) matches
   * the exact one.
   */
  @Test
  void theFactoredConductancePathWorksThroughAConvolutionFirst() {
    float[] x = positiveInput(SIDE * SIDE * IN_CHANNELS);
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      List<Network.Layer> layers =
          List.of(
              new Network.Linear(
                  Network.Kind.CONV,
                  tf.constant(kernel(3, IN_CHANNELS, 4, 0.1)),
                  tf.constant(new float[] {0.05f, -0.02f, 0.1f, 0f}),
                  Activation.RELU,
                  1,
                  null),
              new Network.MaxPool(2),
              new Network.Flatten(3 * 3 * 4),
              Network.Linear.dense(
                  tf.constant(matrix(3 * 3 * 4, 5)), tf.constant(new float[5]), Activation.LINEAR));
      Network net =
          new Network(
              FeatureShape.map(SIDE, SIDE, IN_CHANNELS),
              layers,
              List.of(
                  FeatureShape.map(SIDE, SIDE, 4),
                  FeatureShape.map(3, 3, 4),
                  FeatureShape.flat(36),
                  FeatureShape.flat(5)));
      Operand<TFloat32> input =
          tf.constant(
              Shape.of(EXAMPLES, SIDE * SIDE * IN_CHANNELS), DataBuffers.of(x, true, false));
      ImportanceOps ops = ImportanceOps.create(tf);
      List<Operand<TFloat32>> exact = ops.conductance(net, input, 8, Target.PREDICTED, null, false);
      List<Operand<TFloat32>> factored =
          ops.conductance(net, input, 8, Target.PREDICTED, null, true);
      assertEquals(3, factored.size());
      for (int l = 0; l < exact.size(); l++) {
        float[] want = run(g, exact.get(l));
        float[] got = run(g, factored.get(l));
        assertEquals(want.length, got.length);
        double scale = 0;
        for (float v : want) {
          scale = Math.max(scale, Math.abs(v));
        }
        assertTrue(scale > 0, "layer " + l + " has non-zero conductance");
        for (int i = 0; i < want.length; i++) {
          assertEquals(want[i], got[i], 1e-5 * scale, "layer " + l + ", entry " + i);
        }
      }
    }
  }

  float[][] matrix(int in, int out) {
    float[][] m = new float[in][out];
    for (float[] row : m) {
      for (int j = 0; j < out; j++) {
        row[j] = (float) (random.nextGaussian() * 0.3 + 0.05);
      }
    }
    return m;
  }

  /** The folded kernel and bias give the BatchNorm'd pre-activation. */
  @Test
  void batchNormFoldsIntoTheLinearMapThatLrpSees() {
    float[] x = positiveInput(SIDE * SIDE * IN_CHANNELS);
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      var norm =
          new Network.Norm(
              tf.constant(new float[] {1.5f, 0.5f, -0.7f}),
              tf.constant(new float[] {0.1f, -0.3f, 0.2f}),
              tf.constant(new float[] {0.4f, -0.2f, 1.0f}),
              tf.constant(new float[] {2f, 0.3f, 0.9f}),
              1e-3f,
              0.99);
      var conv =
          new Network.Linear(
              Network.Kind.CONV,
              tf.constant(kernel(3, IN_CHANNELS, FILTERS, 0)),
              tf.constant(new float[] {0.2f, 0f, -0.1f}),
              Activation.RELU,
              1,
              norm);
      Operand<TFloat32> a =
          tf.constant(Shape.of(EXAMPLES, SIDE, SIDE, IN_CHANNELS), DataBuffers.of(x, true, false));
      float[] normalised = run(g, conv.preActivation(tf, a));
      float[] folded = run(g, tf.math.add(conv.map(tf, a, conv.lrpKernel(tf)), conv.lrpBias(tf)));
      for (int i = 0; i < normalised.length; i++) {
        assertEquals(normalised[i], folded[i], 1e-4 * (1 + Math.abs(normalised[i])));
      }
    }
  }
}
