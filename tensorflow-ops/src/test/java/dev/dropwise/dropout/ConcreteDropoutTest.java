package dev.dropwise.dropout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dropwise.ops.DropoutOps;
import dev.dropwise.util.Tensors;
import java.util.ArrayList;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * Concrete dropout's op against its formulas recomputed here in float64 from the same uniforms: the
 * relaxed mask and scale, the regulariser, the identity off training, a gradient into the rate.
 */
class ConcreteDropoutTest {
  static final int ROWS = 400;
  static final int WIDTH = 6;
  static final int NEXT = 3;

  @Test
  void theRelaxedMaskScaleAndRegulariserAreTheFormulas() {
    ConcreteDropout method = new ConcreteDropout(0.2, 0.1, 1e-2, 1e-3);
    SplittableRandom r = new SplittableRandom(4);
    float[] x = new float[ROWS * WIDTH];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (0.5 + r.nextDouble());
    }
    float[] w = new float[WIDTH * NEXT];
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) (r.nextDouble() - 0.5);
    }
    for (boolean training : new boolean[] {true, false}) {
      try (Graph g = new Graph();
          Session s = new Session(g)) {
        Ops tf = Ops.create(g);
        Placeholder<TFloat32> in =
            tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, WIDTH)));
        Operand<TBool> on = tf.constant(training);
        Learning learning = new Learning(tf);
        Operand<TInt64> seed = DropoutOps.create(tf).seed(5, 0, tf.constant(3L));
        DropoutContext ctx =
            new DropoutContext(
                tf,
                on,
                seed,
                tf.constant(0L),
                tf.constant(0f),
                0,
                null,
                new ArrayList<>(),
                null,
                null,
                tf.constant(
                    new float[][] {
                      row(w, 0), row(w, 1), row(w, 2), row(w, 3), row(w, 4), row(w, 5)
                    }),
                learning.forLayer(1, "dropout_0"));
        Operand<TFloat32> y = method.apply(ctx, in).output();
        Operand<TFloat32> u = tf.random.statelessRandomUniform(tf.shape(in), seed, TFloat32.class);
        Variable<TFloat32> logit = learning.trainable().get(0);
        Output<?> gradient =
            g.addGradients(
                    tf.reduceSum(y, tf.constant(new int[] {0, 1})).asOutput(),
                    new Output<?>[] {logit.asOutput()})[0];
        float[] out;
        float[] uniforms;
        float rate;
        float loss;
        float slope;
        try (TFloat32 t = TFloat32.tensorOf(Shape.of(ROWS, WIDTH), DataBuffers.of(x));
            Result res =
                s.runner()
                    .feed(in, t)
                    .fetch(y)
                    .fetch(u)
                    .fetch(learning.rates().get(1))
                    .fetch(learning.losses().get(0))
                    .fetch(gradient)
                    .run()) {
          out = Tensors.toArray((TFloat32) res.get(0));
          uniforms = Tensors.toArray((TFloat32) res.get(1));
          rate = ((TFloat32) res.get(2)).getFloat();
          loss = ((TFloat32) res.get(3)).getFloat();
          slope = ((TFloat32) res.get(4)).getFloat();
        }
        double p = 0.2;
        assertEquals(p, rate, 1e-6, "the rate starts at p");
        double eps = 1e-7;
        double squares = 0;
        for (float v : w) {
          squares += (double) v * v;
        }
        double expectedLoss =
            1e-2 * squares / (1 - p)
                + 1e-3 * WIDTH * (p * Math.log(p + eps) + (1 - p) * Math.log(1 - p + eps));
        assertEquals(expectedLoss, loss, 1e-6 * Math.abs(expectedLoss), "the regulariser");
        if (!training) {
          assertArrayEquals(x, out, "off training: the identity");
          continue;
        }
        double logitP = Math.log(p + eps) - Math.log(1 - p + eps);
        int dropped = 0;
        for (int i = 0; i < x.length; i++) {
          double ui = uniforms[i];
          double z =
              1 / (1 + Math.exp(-(logitP + Math.log(ui + eps) - Math.log(1 - ui + eps)) / 0.1));
          double expected = x[i] * (1 - z) / (1 - p);
          assertEquals(expected, out[i], 1e-4 * Math.max(1, Math.abs(expected)), "value " + i);
          dropped += z > 0.5 ? 1 : 0;
        }
        // P(z > 1/2) = P(u > 1 - p) = p: the relaxed mask drops at the rate.
        double se = Math.sqrt(p * (1 - p) / x.length);
        assertEquals(p, dropped / (double) x.length, 5 * se, "share dropped");
        assertTrue(slope != 0 && Float.isFinite(slope), "the output's gradient reaches the rate");
      }
    }
  }

  private static float[] row(float[] w, int i) {
    float[] out = new float[NEXT];
    System.arraycopy(w, i * NEXT, out, 0, NEXT);
    return out;
  }

  @Test
  void outsideATrainingGraphAndBadSettingsAreRefused() {
    ConcreteDropout method = new ConcreteDropout(0.1, 0.1, 1e-6, 1e-5);
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      DropoutContext ctx =
          DropoutContext.standalone(
              tf, tf.constant(true), DropoutOps.create(tf).seed(1, 0, tf.constant(0L)));
      assertThrows(
          IllegalStateException.class,
          () -> method.apply(ctx, tf.zeros(tf.constant(new int[] {2, 3}), TFloat32.class)));
    }
    assertEquals(
        "p=1.0 is not allowed: must be in (0, 1)",
        assertThrows(IllegalArgumentException.class, () -> new ConcreteDropout(1, 0.1, 0, 0))
            .getMessage());
    assertThrows(IllegalArgumentException.class, () -> new ConcreteDropout(0.1, 0, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> new ConcreteDropout(0.1, 0.1, -1, 0));
    assertEquals(new StandardDropout(0.25), method.atLearnedRate(0.25));
    assertEquals(method, DropoutSpec.parse("concrete"));
    assertEquals("concrete:p=0.1", method.text());
    assertEquals(
        new ConcreteDropout(0.3, 0.2, 1e-6, 1e-4),
        DropoutSpec.parse("concrete:p=0.3,t=0.2,dropout=1e-4"));
  }
}
