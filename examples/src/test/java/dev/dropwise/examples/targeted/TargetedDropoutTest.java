package dev.dropwise.examples.targeted;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dropwise.dropout.DropoutContext;
import dev.dropwise.dropout.DropoutMethods;
import dev.dropwise.dropout.DropoutSpec;
import dev.dropwise.dropout.Masked;
import dev.dropwise.ops.DropoutOps;
import dev.dropwise.util.Registry;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * The method itself: found on the classpath, read from text, and masking exactly its candidates.
 */
class TargetedDropoutTest {
  static final int INPUTS = 6;
  static final int UNITS = 16;
  static final int ROWS = 8;

  @Test
  void isFoundOnTheClasspathAndReadFromText() {
    Registry.Entry<DropoutSpec> method = DropoutMethods.find("targeted").orElseThrow();
    assertInstanceOf(TargetedDropoutMethod.class, method);
    assertEquals(
        method, DropoutMethods.find("TARGETED-DROPOUT").orElseThrow(), "the alias, in any case");
    assertEquals(new TargetedDropout(0.5, 0.5), DropoutSpec.parse("targeted"));
    DropoutSpec spec = DropoutSpec.parse("targeted:gamma=0.25,alpha=0.6");
    assertEquals(new TargetedDropout(0.25, 0.6), spec);
    assertEquals("targeted:gamma=0.25,alpha=0.6", spec.text());
    assertEquals(spec, DropoutSpec.parse(spec.text()));
    assertFalse(
        spec.monteCarloAtServing(), "its masks depend on the weights: no Monte Carlo signature");
    assertTrue(
        DropoutMethods.all().stream().map(Registry.Entry::name).toList().contains("targeted"));
    assertEquals(List.of(), Registry.defaultsNotUsed(method), "the defaults it lists are its own");
  }

  @Test
  void badSettingsAreRefusedWithTheValueAndTheRange() {
    IllegalArgumentException gamma =
        assertThrows(IllegalArgumentException.class, () -> DropoutSpec.parse("targeted:gamma=1.5"));
    assertEquals(
        "targeted dropout gamma=1.5 is not allowed: the candidates' share must be in [0, 1]",
        gamma.getMessage());
    IllegalArgumentException unknown =
        assertThrows(IllegalArgumentException.class, () -> DropoutSpec.parse("targeted:p=0.5"));
    assertEquals(
        "unknown parameter 'p' in dropout spec 'targeted:p=0.5'; allowed: alpha, gamma",
        unknown.getMessage());
  }

  /**
   * A kernel whose columns have known norms: over 400 steps the units outside the gamma share of
   * smallest norms are never dropped, the candidates at rate alpha, and kept candidates are scaled
   * by 1 / (1 - alpha); with training off nothing changes.
   */
  @Test
  void dropsOnlyTheCandidatesWithTheSmallestWeightNormsAtRateAlpha() {
    double gamma = 0.25;
    double alpha = 0.6;
    Random r = new Random(3);
    float[] kernel = new float[INPUTS * UNITS];
    for (int i = 0; i < kernel.length; i++) {
      kernel[i] =
          (float) r.nextGaussian()
              * (1 + i % UNITS); // column u has a spread growing with u, then shuffled below
    }
    double[] norms = new double[UNITS];
    for (int i = 0; i < kernel.length; i++) {
      norms[i % UNITS] += kernel[i] * kernel[i];
    }
    Integer[] order = new Integer[UNITS];
    Arrays.setAll(order, i -> i);
    Arrays.sort(order, (a, b) -> Double.compare(norms[a], norms[b]));
    Set<Integer> candidates =
        new HashSet<>(Arrays.asList(order).subList(0, (int) Math.round(gamma * UNITS)));

    int steps = 400;
    double[] dropped = new double[UNITS];
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Placeholder<TInt64> step = tf.placeholder(TInt64.class, Placeholder.shape(Shape.scalar()));
      Placeholder<TBool> training = tf.placeholder(TBool.class, Placeholder.shape(Shape.scalar()));
      Operand<TFloat32> w =
          tf.constant(Shape.of(INPUTS, UNITS), DataBuffers.of(kernel, true, false));
      DropoutContext ctx =
          DropoutContext.standalone(tf, training, DropoutOps.create(tf).seed(11, 0, step))
              .withLayerKernel(w);
      Masked masked =
          new TargetedDropout(gamma, alpha)
              .apply(ctx, tf.ones(tf.constant(new int[] {ROWS, UNITS}), TFloat32.class));
      try (Session session = new Session(graph)) {
        for (long s = 0; s < steps; s++) {
          float[] multiplier = run(session, masked, step, s, training, true);
          assertEquals(
              UNITS, multiplier.length, "one mask [1, units] per step, shared by the batch");
          for (int u = 0; u < UNITS; u++) {
            float m = multiplier[u];
            if (!candidates.contains(u)) {
              assertEquals(1f, m, "unit " + u + " is not a candidate: never dropped, never scaled");
            } else if (m != 0f) {
              assertEquals(
                  1 / (1 - alpha), m, 1e-6, "a kept candidate is scaled by 1 / (1 - alpha)");
            } else {
              dropped[u]++;
            }
          }
        }
        float[] off = run(session, masked, step, 0, training, false);
        float[] ones = new float[UNITS];
        Arrays.fill(ones, 1f);
        assertArrayEquals(ones, off, "training off: the layer passes through");
      }
    }
    for (int u : candidates) {
      // 400 draws at 0.6: standard error 0.0245; 4.5 of them.
      assertEquals(alpha, dropped[u] / steps, 0.11, "candidate " + u);
    }
  }

  private static float[] run(
      Session session,
      Masked masked,
      Placeholder<TInt64> step,
      long s,
      Placeholder<TBool> training,
      boolean on) {
    try (TInt64 st = TInt64.scalarOf(s);
        TBool t = TBool.scalarOf(on);
        Result r =
            session.runner().feed(step, st).feed(training, t).fetch(masked.multiplier()).run()) {
      TFloat32 m = (TFloat32) r.get(0);
      float[] v = new float[(int) m.size()];
      m.copyTo(DataBuffers.of(v, false, false));
      return v;
    }
  }
}
