package dev.dropwise.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The network package's parts on their own: activations against their definitions in float64,
 * initialisers' ranges and variances against Keras's formulas, the names and shapes of layers.
 */
class NetworkPartsTest {
  private static final float[] X = {-3f, -1.5f, -0.25f, 0f, 0.25f, 1.5f, 3f, 7f};

  /** Each activation's definition, written here in float64. */
  private static DoubleUnaryOperator reference(Activation a) {
    double lambda = 1.0507009873554805, alpha = 1.6732632423543772;
    return switch (a) {
      case RELU -> x -> Math.max(0, x);
      case TANH -> Math::tanh;
      case SELU -> x -> x > 0 ? lambda * x : lambda * alpha * (Math.exp(x) - 1);
      case LINEAR -> x -> x;
      case SIGMOID -> x -> 1 / (1 + Math.exp(-x));
      case ELU -> x -> x > 0 ? x : Math.exp(x) - 1;
      case RELU6 -> x -> Math.min(Math.max(x, 0), 6);
      case SOFTPLUS -> x -> Math.log1p(Math.exp(x));
      case SWISH -> x -> x / (1 + Math.exp(-x));
    };
  }

  @ParameterizedTest
  @EnumSource(Activation.class)
  void everyActivationComputesItsDefinition(Activation a) {
    try (Graph g = new Graph();
        Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      try (TFloat32 out = (TFloat32) s.runner().fetch(a.apply(tf, tf.constant(X))).run().get(0)) {
        for (int i = 0; i < X.length; i++) {
          double expected = reference(a).applyAsDouble(X[i]);
          assertEquals(
              expected,
              out.getFloat(i),
              1e-5 * Math.max(1, Math.abs(expected)),
              a + "(" + X[i] + ")");
        }
      }
    }
    assertEquals(a, Activation.parse(a.text()), "text reads back");
    assertEquals(a, Activation.parse(" " + a.text().toUpperCase() + " "));
  }

  @Test
  void anUnknownActivationIsRefusedWithTheChoices() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Activation.parse("gelu"));
    assertTrue(e.getMessage().contains("gelu") && e.getMessage().contains("relu"), e.getMessage());
  }

  /**
   * Keras's definitions: uniform in ±√(6 / fans) (so variance 2 / fans), a normal rescaled to that
   * variance after truncation at 2σ; fans are fan_in + fan_out for Glorot, fan_in for He.
   */
  @ParameterizedTest
  @EnumSource(value = Initializer.class, mode = EnumSource.Mode.EXCLUDE, names = "ORTHOGONAL")
  void everyInitializerHasKerasesRangeAndVariance(Initializer init) {
    int fanIn = 300, fanOut = 100;
    double variance = init.name().startsWith("GLOROT") ? 2.0 / (fanIn + fanOut) : 2.0 / fanIn;
    float[] w = draw(init, fanIn, fanOut, 7);
    double sum = 0, squares = 0, max = 0;
    for (float v : w) {
      sum += v;
      squares += (double) v * v;
      max = Math.max(max, Math.abs(v));
    }
    double mean = sum / w.length;
    double measured = squares / w.length - mean * mean;
    assertEquals(0, mean, 4 * Math.sqrt(variance / w.length), "mean");
    // 30,000 draws: the sample variance is within a few percent of the intended one.
    assertEquals(variance, measured, 0.05 * variance, "variance");
    double bound =
        init.name().endsWith("UNIFORM")
            ? Math.sqrt(3 * variance)
            : 2 * Math.sqrt(variance) / 0.8796257;
    assertTrue(max <= bound * (1 + 1e-6), "every draw within " + bound + ", max " + max);
    assertTrue(max > 0.9 * bound, "the draws reach near the bound " + bound + ", max " + max);
    assertArrayEquals(w, draw(init, fanIn, fanOut, 7), "a seed fixes the weights");
    assertTrue(!java.util.Arrays.equals(w, draw(init, fanIn, fanOut, 8)), "another seed, others");
    assertEquals(init, Initializer.parse(init.text()));
  }

  private static float[] draw(Initializer init, int fanIn, int fanOut, long seed) {
    try (Graph g = new Graph();
        Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      try (TFloat32 out =
          (TFloat32) s.runner().fetch(init.create(tf, fanIn, fanOut, seed)).run().get(0)) {
        float[] values = new float[fanIn * fanOut];
        for (int i = 0; i < fanIn; i++) {
          for (int j = 0; j < fanOut; j++) {
            values[i * fanOut + j] = out.getFloat(i, j);
          }
        }
        return values;
      }
    }
  }

  /**
   * Orthogonal: a wide matrix's rows and a tall one's columns are orthonormal (checked in float64),
   * the draws fixed by the seed, as Keras's {@code Orthogonal}.
   */
  @Test
  void orthogonalDrawsOrthonormalRowsOrColumns() {
    for (int[] fans : new int[][] {{8, 32}, {32, 8}, {12, 12}}) {
      int rows = fans[0], cols = fans[1];
      float[] w = draw(Initializer.ORTHOGONAL, rows, cols, 3);
      boolean wide = rows <= cols;
      int n = wide ? rows : cols;
      for (int a = 0; a < n; a++) {
        for (int b = 0; b < n; b++) {
          double dot = 0;
          for (int k = 0; k < (wide ? cols : rows); k++) {
            dot +=
                wide
                    ? (double) w[a * cols + k] * w[b * cols + k]
                    : (double) w[k * cols + a] * w[k * cols + b];
          }
          assertEquals(a == b ? 1 : 0, dot, 1e-5, rows + "x" + cols + " (" + a + ", " + b + ")");
        }
      }
      assertArrayEquals(w, draw(Initializer.ORTHOGONAL, rows, cols, 3), "a seed fixes them");
    }
    assertEquals(Initializer.ORTHOGONAL, Initializer.parse("orthogonal"));
  }

  @Test
  void layersAreNamedByKindAndCountAndTheirVariablesAfterThem() {
    LayerNames names = new LayerNames();
    assertEquals("dense_0", names.next("dense"));
    assertEquals("conv_0", names.next("conv"));
    assertEquals("dense_1", names.next("dense"));
    assertEquals("dense_1_kernel", LayerNames.kernel("dense_1"));
    assertEquals("dense_1_bias", LayerNames.bias("dense_1"));
    assertEquals("conv_0_bn_moving_mean", LayerNames.norm("conv_0", "moving_mean"));
  }

  @Test
  void featureShapesReadBackAndRefuseWhatIsNoShape() {
    FeatureShape image = FeatureShape.parse("28x28x1");
    assertEquals(FeatureShape.map(28, 28, 1), image);
    assertEquals(784, image.size());
    assertEquals("28x28x1", image.toString());
    assertArrayEquals(new int[] {-1, 28, 28, 1}, image.reshapeTarget());
    FeatureShape flat = FeatureShape.parse(" 784 ");
    assertEquals(FeatureShape.flat(784), flat);
    assertEquals(flat, FeatureShape.parse(flat.toString()));
    assertArrayEquals(new int[] {-1, 784}, flat.reshapeTarget());
    FeatureShape sequence = FeatureShape.parse("28x14");
    assertEquals(FeatureShape.sequence(28, 14), sequence);
    assertTrue(sequence.sequence() && !sequence.map());
    assertEquals(28, sequence.steps());
    assertEquals(392, sequence.size());
    assertEquals("28x14", sequence.toString());
    assertArrayEquals(new int[] {-1, 28, 14}, sequence.reshapeTarget());
    assertEquals(1, image.steps());
    for (String bad : new String[] {"28xax1", "", "1x2x3x4", "28x"}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> FeatureShape.parse(bad), bad);
      assertTrue(e.getMessage().contains("HEIGHTxWIDTHxCHANNELS"), e.getMessage());
    }
    IllegalArgumentException wide =
        assertThrows(
            IllegalArgumentException.class,
            () -> new FeatureShape(4, 2, 3, FeatureShape.Form.SEQUENCE));
    assertTrue(wide.getMessage().contains("width 1"), wide.getMessage());
  }
}
