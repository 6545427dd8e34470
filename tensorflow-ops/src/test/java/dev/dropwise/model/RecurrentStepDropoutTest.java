package dev.dropwise.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dropwise.dropout.DropoutContext;
import dev.dropwise.dropout.DropoutSpec;
import dev.dropwise.dropout.NoDropout;
import dev.dropwise.network.RecurrentCell;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Dropout inside a recurrent layer, observed where the layer applies it: a mask per sequence is the
 * same at every step and independent across sequences (binomial bounds at 5 standard deviations), a
 * mask per step is drawn afresh, zoneout keeps the previous state with probability p and is its
 * expectation with training off, and nothing changes with training off.
 */
class RecurrentStepDropoutTest {
  private static final int N = 4000, U = 6, T = 5;
  private static final double P = 0.3;

  /** Each step's multiplier on a state of ones, {@code [T][N * U]}. */
  private static float[][] stateMasks(String state, boolean perStep, boolean training) {
    try (Graph g = new Graph();
        Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      RecurrentStepDropout dropout =
          new RecurrentStepDropout(
              new RecurrentDropout(new NoDropout(), DropoutSpec.parse(state), 0, perStep),
              DropoutContext.standalone(tf, tf.constant(training), tf.constant(new long[] {7, 3})));
      Operand<TFloat32> ones = tf.fill(tf.constant(new int[] {N, U}), tf.constant(1f));
      List<Operand<TFloat32>> steps = new ArrayList<>();
      for (int t = 0; t < T; t++) {
        steps.add(dropout.recurrent(tf, ones));
      }
      return run(s, steps);
    }
  }

  private static float[][] run(Session s, List<Operand<TFloat32>> fetches) {
    Session.Runner runner = s.runner();
    fetches.forEach(runner::fetch);
    try (var result = runner.run()) {
      float[][] out = new float[fetches.size()][];
      for (int i = 0; i < fetches.size(); i++) {
        TFloat32 t = (TFloat32) result.get(i);
        out[i] = new float[(int) t.shape().size()];
        t.asRawTensor().data().asFloats().read(out[i]);
      }
      return out;
    }
  }

  /** Whether {@code count} of {@code n} Bernoulli(q) draws is within 5 standard deviations. */
  private static void binomial(String what, long count, long n, double q) {
    double sd = Math.sqrt(n * q * (1 - q));
    assertTrue(
        Math.abs(count - n * q) <= 5 * sd,
        what + ": " + count + " of " + n + ", expected " + n * q);
  }

  @Test
  void aMaskPerSequenceIsTheSameAtEveryStepAndIndependentAcrossSequences() {
    float[][] masks = stateMasks("standard:p=0.3", false, true);
    long dropped = 0, bothDropped = 0, sameUnitBoth = 0;
    for (int i = 0; i < N * U; i++) {
      for (int t = 1; t < T; t++) {
        assertEquals(masks[0][i], masks[t][i], "step " + t + ", entry " + i);
      }
      float m = masks[0][i];
      assertTrue(m == 0 || Math.abs(m - 1 / (1 - P)) < 1e-5, "0 or 1/(1-p): " + m);
      dropped += m == 0 ? 1 : 0;
    }
    for (int n = 0; n + 1 < N; n += 2) {
      for (int u = 0; u < U; u++) {
        bothDropped += masks[0][n * U + u] == 0 && masks[0][(n + 1) * U + u] == 0 ? 1 : 0;
      }
      sameUnitBoth += masks[0][n * U] == 0 && masks[0][n * U + 1] == 0 ? 1 : 0;
    }
    binomial("dropped", dropped, (long) N * U, P);
    binomial("the same unit of two sequences both dropped", bothDropped, (long) N / 2 * U, P * P);
    binomial("two units of one sequence both dropped", sameUnitBoth, N / 2, P * P);
  }

  @Test
  void aMaskPerStepIsDrawnAfreshAndTrainingOffDropsNothing() {
    float[][] masks = stateMasks("standard:p=0.3", true, true);
    long changed = 0, dropped = 0;
    for (int i = 0; i < N * U; i++) {
      changed += (masks[0][i] == 0) != (masks[1][i] == 0) ? 1 : 0;
      dropped += masks[1][i] == 0 ? 1 : 0;
    }
    binomial("dropped at step 1", dropped, (long) N * U, P);
    binomial("changed between steps 0 and 1", changed, (long) N * U, 2 * P * (1 - P));
    for (boolean perStep : new boolean[] {false, true}) {
      for (float[] step : stateMasks("standard:p=0.3", perStep, false)) {
        for (float m : step) {
          assertEquals(1f, m, "training off: every multiplier is 1");
        }
      }
    }
  }

  @Test
  void zoneoutKeepsThePreviousStateWithProbabilityPAndIsItsExpectationOtherwise() {
    for (boolean training : new boolean[] {true, false}) {
      try (Graph g = new Graph();
          Session s = new Session(g)) {
        Ops tf = Ops.create(g);
        RecurrentStepDropout dropout =
            new RecurrentStepDropout(
                new RecurrentDropout(new NoDropout(), new NoDropout(), P, false),
                DropoutContext.standalone(
                    tf, tf.constant(training), tf.constant(new long[] {5, 1})));
        Operand<TFloat32> previous = tf.fill(tf.constant(new int[] {N, U}), tf.constant(2f));
        Operand<TFloat32> next = tf.fill(tf.constant(new int[] {N, U}), tf.constant(-1f));
        List<Operand<TFloat32>> fetches = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
          RecurrentCell.State state =
              dropout.zoneout(
                  tf,
                  new RecurrentCell.State(previous, previous),
                  new RecurrentCell.State(next, next),
                  (float) P);
          fetches.add(state.h());
          fetches.add(state.c());
        }
        float[][] out = run(s, fetches);
        if (!training) {
          for (float[] values : out) {
            for (float v : values) {
              assertEquals(P * 2 + (1 - P) * -1, v, 1e-6, "the expectation");
            }
          }
          continue;
        }
        long kept = 0, hAndC = 0, again = 0;
        for (int i = 0; i < N * U; i++) {
          for (float[] values : out) {
            assertTrue(values[i] == 2f || values[i] == -1f, "previous or new: " + values[i]);
          }
          kept += out[0][i] == 2f ? 1 : 0;
          hAndC += out[0][i] == 2f && out[1][i] == 2f ? 1 : 0;
          again += out[0][i] == 2f && out[2][i] == 2f ? 1 : 0;
        }
        binomial("h kept", kept, (long) N * U, P);
        binomial("h and c kept together (independent draws)", hAndC, (long) N * U, P * P);
        binomial("kept at both steps (fresh draws)", again, (long) N * U, P * P);
      }
    }
  }

  @Test
  void aMethodThatCannotRunInsideIsRefusedWithTheOnesThatCan() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> LayerSpec.parse("lstm(units=8,input=pfid)"));
    assertTrue(
        e.getMessage().contains("input=pfid cannot run inside a recurrent layer")
            && e.getMessage().contains("input takes none, standard, sector, gaussian"),
        e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> LayerSpec.parse("gru(units=8,state=standard(p=adaptive(r0=0.3)))"));
    assertTrue(e.getMessage().contains("a rate schedule is not fed there"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class, () -> LayerSpec.parse("lstm(units=8,zoneout=1)"));
    assertTrue(
        e.getMessage().contains("zoneout=1.0 is not allowed: it must be in [0, 1)"),
        e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class, () -> LayerSpec.parse("lstm(units=8,masks=row)"));
    assertTrue(
        e.getMessage().contains("masks=row is not allowed: sequence or step"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ModelSpec.parseNetwork("28x28", "lstm(units=4,state=sector(n=8)),dense:2"));
    assertTrue(
        e.getMessage()
            .startsWith(
                "layer 0 (lstm(units=4,state=sector(n=8,p=0.5))): state=sector:n=8,p=0.5 on its 4"
                    + " units: sector size n=8 is wider than the layer (4 units)"),
        e.getMessage());
    LayerSpec variational =
        LayerSpec.parse("lstm(units=8,input=sector(n=4,p=0.5),state=ydrop,zoneout=0.1)");
    assertEquals(
        "lstm(units=8,input=sector(n=4,p=0.5),state=ydrop,zoneout=0.1)", variational.text());
    assertEquals(variational, LayerSpec.parse(variational.text()));
  }
}
