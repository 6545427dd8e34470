package dev.dropwise.importance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.dropwise.data.Dataset;
import dev.dropwise.network.Activation;
import dev.dropwise.network.FeatureShape;
import dev.dropwise.network.Network;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** The input space's bounds, the composites' choice of rule per layer, and their refusals. */
class InputSpaceAndCompositeTest {
  @Test
  void anInputSpaceSpansItsDataAndRefusesBoundsThatDoNotHold() {
    Dataset data = new Dataset(new float[] {1, -2, 3, 5, 0, 4}, new int[] {0, 1}, 3, 2);
    InputSpace space = InputSpace.spanning(data);
    assertArrayEquals(new float[] {1, -2, 3}, space.low());
    assertArrayEquals(new float[] {5, 0, 4}, space.high());
    assertArrayEquals(new float[] {0}, space.baseline());
    InputSpace moved = space.withBaseline(new float[] {2, 2, 2});
    assertArrayEquals(new float[] {2, 2, 2}, moved.baseline());
    assertEquals(space, InputSpace.spanning(data));
    assertEquals(space.hashCode(), InputSpace.spanning(data).hashCode());
    assertNotEquals(space, moved);
    assertEquals(
        "input space: low 2.0 above high 1.0 at feature 0",
        assertThrows(
                IllegalArgumentException.class,
                () -> new InputSpace(new float[] {2}, new float[] {1}, new float[] {0}))
            .getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> new InputSpace(new float[] {0, 0}, new float[] {1}, new float[] {0}));
    assertThrows(
        IllegalArgumentException.class,
        () -> new InputSpace(new float[] {0}, new float[] {1}, new float[] {}));
    assertThrows(
        IllegalArgumentException.class,
        () -> new LrpRule.ZBox(new float[] {1}, new float[] {0}, 0));
    assertThrows(
        IllegalArgumentException.class,
        () -> new LrpRule.ZBox(new float[] {0, 0}, new float[] {1}, 0));
    assertEquals(
        new LrpRule.ZBox(new float[] {0}, new float[] {1}, 1e-6f),
        new LrpRule.ZBox(new float[] {0}, new float[] {1}, 1e-6f));
  }

  /** Which rule each layer of a CNN gets, by composite and by the parts replaced. */
  @Test
  void aCompositeGivesEachLayerItsKindsRuleAndTheFirstLinearLayerItsOwn() {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Network.Linear conv =
          new Network.Linear(
              Network.Kind.CONV,
              tf.constant(new float[3][3][1][2]),
              tf.constant(new float[2]),
              Activation.RELU,
              1,
              null);
      Network.Linear dense =
          Network.Linear.dense(
              tf.constant(new float[4][2]), tf.constant(new float[2]), Activation.RELU);
      InputSpace space = InputSpace.unit();
      LrpComposite box = LrpComposite.named("Epsilon-Gamma-Box", 1e-6f, 0.25f);
      assertInstanceOf(LrpRule.ZBox.class, box.ruleAt(true, conv, space));
      assertInstanceOf(LrpRule.Epsilon.class, box.ruleAt(true, dense, space), "zennit: ε");
      assertInstanceOf(LrpRule.Gamma.class, box.ruleAt(false, conv, space));
      LrpComposite flat = LrpComposite.named("epsilon-alpha2beta1-flat", 1e-6f, 0.25f);
      assertInstanceOf(LrpRule.Flat.class, flat.ruleAt(true, dense, space));
      assertEquals(new LrpRule.AlphaBeta(2, 1), flat.ruleAt(false, conv, space));
      LrpComposite own = new LrpComposite("alpha1beta0", "zplus", "by-kind", 0, 0);
      assertEquals(new LrpRule.AlphaBeta(1, 0), own.ruleAt(true, dense, space));
      assertEquals(new LrpRule.ZPlus(), own.ruleAt(true, conv, space));
    }
    assertEquals(
        "conv=flat is not allowed: flat applies to the first layer only (it explains the input);"
            + " conv layers take eps, zplus, alpha1beta0, alpha2beta1, gamma",
        assertThrows(
                IllegalArgumentException.class,
                () -> new LrpComposite("eps", "flat", "by-kind", 0, 0))
            .getMessage());
    assertEquals(
        "first=nope is not allowed; the first layer takes zbox, flat, zbox-if-conv, eps, zplus,"
            + " alpha1beta0, alpha2beta1, gamma",
        assertThrows(
                IllegalArgumentException.class, () -> new LrpComposite("eps", "eps", "nope", 0, 0))
            .getMessage());
    assertThrows(
        IllegalArgumentException.class, () -> new LrpComposite("eps", "eps", "by-kind", -1, 0));
  }

  /**
   * With a max pooling before the first linear layer, z^B's per-feature bounds no longer match its
   * input: the loosest bound of all features holds there, and gives what scalar bounds give.
   */
  @Test
  void zBoxAfterAPoolingTakesTheLoosestBounds() {
    Random random = new Random(5);
    float[] x = new float[2 * 16];
    for (int i = 0; i < x.length; i++) {
      x[i] = random.nextFloat();
    }
    float[] low = new float[16];
    float[] high = new float[16];
    for (int i = 0; i < 16; i++) {
      low[i] = -0.1f * (i % 3);
      high[i] = 1 + 0.1f * (i % 4);
    }
    float[] perFeature = relevance(x, new InputSpace(low, high, new float[] {0}));
    float[] loosest =
        relevance(x, new InputSpace(new float[] {-0.2f}, new float[] {1.3f}, new float[] {0}));
    assertArrayEquals(loosest, perFeature);
  }

  private static float[] relevance(float[] x, InputSpace space) {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Random random = new Random(9);
      float[][][][] kernel = new float[3][3][1][2];
      for (float[][][] a : kernel) {
        for (float[][] b : a) {
          b[0][0] = random.nextFloat() - 0.3f;
          b[0][1] = random.nextFloat() - 0.3f;
        }
      }
      float[][] w = new float[8][3];
      for (float[] row : w) {
        for (int j = 0; j < 3; j++) {
          row[j] = random.nextFloat() - 0.4f;
        }
      }
      Network net =
          new Network(
              FeatureShape.map(4, 4, 1),
              List.of(
                  new Network.MaxPool(2),
                  new Network.Linear(
                      Network.Kind.CONV,
                      tf.constant(kernel),
                      tf.constant(new float[2]),
                      Activation.RELU,
                      1,
                      null),
                  new Network.Flatten(8),
                  Network.Linear.dense(
                      tf.constant(w), tf.constant(new float[3]), Activation.LINEAR)),
              List.of(
                  FeatureShape.map(2, 2, 1),
                  FeatureShape.map(2, 2, 2),
                  FeatureShape.flat(8),
                  FeatureShape.flat(3)));
      Operand<TFloat32> input =
          tf.constant(org.tensorflow.ndarray.Shape.of(2, 16), DataBuffers.of(x, true, false));
      Operand<TFloat32> out =
          InputAttributions.parse("lrp:first=zbox")
              .relevance(tf, net, input, tf.constant(new int[] {0, 1}), space);
      try (Session s = new Session(g);
          Result r = s.runner().fetch(out).run()) {
        TFloat32 t = (TFloat32) r.get(0);
        float[] v = new float[(int) t.size()];
        t.copyTo(DataBuffers.of(v, false, false));
        return v;
      }
    }
  }
}
