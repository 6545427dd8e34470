package dev.dropwise.dropout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dropwise.importance.ImportanceOps;
import dev.dropwise.importance.ScoreSource;
import dev.dropwise.importance.Target;
import dev.dropwise.network.Activation;
import dev.dropwise.network.DenseWeights;
import dev.dropwise.network.Network;
import dev.dropwise.ops.DropoutOps;
import java.util.ArrayList;
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
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

class YDropTest {
  static final int FEATURES = 12;
  static final int UNITS = 20;
  static final int ROWS = 40;

  /** One Y-Drop layer over the hidden layer of a random 12-20-5 ReLU net. */
  static final class Harness implements AutoCloseable {
    final Graph graph = new Graph();
    final Session session;
    final Placeholder<TFloat32> x;
    final Placeholder<TInt64> step;
    final Placeholder<TInt64> epoch;
    final YDrop.Parts parts;

    /**
     * Mean conductance per hidden unit over the rows Y-Drop ranks (the first B / n_c), built apart
     * from Y-Drop.
     */
    final Operand<TFloat32> conductance;

    final List<Op> updates = new ArrayList<>();
    final float[] input;
    final float[][] w0 = new float[FEATURES][UNITS];
    final float[][] w1 = new float[UNITS][5];

    Harness(YDrop ydrop) {
      Ops tf = Ops.create(graph);
      Random r = new Random(1);
      for (float[] row : w0) {
        for (int j = 0; j < row.length; j++) {
          row[j] = (float) r.nextGaussian() * 0.5f;
        }
      }
      for (float[] row : w1) {
        for (int j = 0; j < row.length; j++) {
          row[j] = (float) r.nextGaussian() * 0.5f;
        }
      }
      Network stack =
          Network.dense(
              tf,
              List.of(
                  new DenseWeights(w0, new float[UNITS], Activation.RELU),
                  new DenseWeights(w1, new float[5], Activation.LINEAR)));
      x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, FEATURES)));
      step = tf.placeholder(TInt64.class, Placeholder.shape(Shape.scalar()));
      epoch = tf.placeholder(TInt64.class, Placeholder.shape(Shape.scalar()));
      Operand<TBool> training = tf.constant(true);
      ScoreSource scores = new ScoreSource(tf, stack, x, null, epoch);
      Operand<TFloat32> hidden = stack.forward(tf, x).hidden().get(0);
      DropoutContext ctx =
          new DropoutContext(
              tf,
              training,
              DropoutOps.create(tf).seed(9, 0, step),
              epoch,
              tf.constant(0f),
              0,
              scores,
              updates,
              null,
              null,
              null,
              null);
      parts = ydrop.build(ctx, hidden);
      Operand<TFloat32> ranked =
          tf.slice(
              x, tf.constant(new int[] {0, 0}), tf.constant(new int[] {ROWS / ydrop.steps(), -1}));
      conductance =
          tf.math.mean(
              ImportanceOps.create(tf)
                  .conductance(stack, ranked, ydrop.steps(), Target.PREDICTED, null, false)
                  .get(0),
              tf.constant(0));
      session = new Session(graph);
      input = new float[ROWS * FEATURES];
      for (int i = 0; i < input.length; i++) {
        input[i] = r.nextFloat();
      }
    }

    /**
     * Runs one training step; returns pLow, pHigh, bucket probability, the average before the step
     * (read in a run of its own: a fetch is not ordered against the step's assignment) and the
     * updated average, then the multiplier.
     */
    List<float[]> step(long stepValue, long epochValue) {
      float[] before;
      try (Result r = session.runner().fetch(parts.movingAverage()).run()) {
        before = values((TFloat32) r.get(0));
      }
      try (TFloat32 xs =
              TFloat32.tensorOf(Shape.of(ROWS, FEATURES), DataBuffers.of(input, true, false));
          TInt64 s = TInt64.scalarOf(stepValue);
          TInt64 e = TInt64.scalarOf(epochValue)) {
        Session.Runner runner =
            session
                .runner()
                .feed(x, xs)
                .feed(step, s)
                .feed(epoch, e)
                .fetch(parts.pLow())
                .fetch(parts.pHigh())
                .fetch(parts.bucketProbability())
                .fetch(parts.updatedAverage())
                .fetch(parts.masked().multiplier());
        updates.forEach(runner::addTarget);
        try (Result r = runner.run()) {
          List<float[]> out = new ArrayList<>();
          for (int i = 0; i < 5; i++) {
            out.add(values((TFloat32) r.get(i)));
          }
          out.add(3, before);
          return out;
        }
      }
    }

    /** {@code fetches} on the harness's input at step 3 of epoch 0, nothing updated. */
    Result fetchAtStep3(Operand<?>... fetches) {
      try (TFloat32 xs =
              TFloat32.tensorOf(Shape.of(ROWS, FEATURES), DataBuffers.of(input, true, false));
          TInt64 s = TInt64.scalarOf(3);
          TInt64 e = TInt64.scalarOf(0)) {
        Session.Runner runner = session.runner().feed(x, xs).feed(step, s).feed(epoch, e);
        for (Operand<?> f : fetches) {
          runner.fetch(f);
        }
        return runner.run();
      }
    }

    static float[] values(TFloat32 t) {
      float[] v = new float[(int) t.size()];
      t.copyTo(DataBuffers.of(v, false, false));
      return v;
    }

    @Override
    public void close() {
      session.close();
      graph.close();
    }
  }

  @Test
  void bucketProbabilitiesStayInsideTheirTruncationBoundsAndVary() {
    YDrop ydrop = tableOne(0.1f, 0);
    Set<Float> seenHigh = new HashSet<>();
    try (Harness h = new Harness(ydrop)) {
      for (long step = 0; step < 200; step++) {
        List<float[]> out = h.step(step, 0);
        float pLow = out.get(0)[0];
        float pHigh = out.get(1)[0];
        assertTrue(
            pLow >= 0.1f && pLow <= 0.25f,
            "p_L=" + pLow + " outside [mu_L, p_L^max] = [0.1, 0.25]");
        assertTrue(
            pHigh >= 0.6f && pHigh <= 0.75f,
            "p_H=" + pHigh + " outside [mu_H, p_H^max] = [0.6, 0.75]");
        seenHigh.add(pHigh);
        int strong = 0;
        for (float q : out.get(2)) {
          assertTrue(q == pLow || q == pHigh);
          strong += q == pHigh ? 1 : 0;
        }
        assertEquals(UNITS / 2, strong, "w_S = 0.5: half the units are in the strong bucket");
      }
    }
    assertTrue(seenHigh.size() > 150, "p_H is redrawn every step");
  }

  @Test
  void theStrongBucketIsExactlyTheTopConductanceHalf() {
    try (Harness h = new Harness(tableOne(0.1f, 0));
        Result r = h.fetchAtStep3(h.conductance, h.parts.bucketProbability(), h.parts.pHigh())) {
      float[] conductance = Harness.values((TFloat32) r.get(0));
      float[] bucket = Harness.values((TFloat32) r.get(1));
      float pHigh = ((TFloat32) r.get(2)).getFloat();
      Integer[] order = new Integer[UNITS];
      Arrays.setAll(order, i -> i);
      // Descending conductance; equal values (units dead on these rows) in index order, as TopK
      // takes them.
      Arrays.sort(
          order,
          (a, b) ->
              conductance[a] != conductance[b]
                  ? Float.compare(conductance[b], conductance[a])
                  : Integer.compare(a, b));
      assertTrue(
          conductance[order[0]] > conductance[order[UNITS - 1]],
          "the scores differ: " + Arrays.toString(conductance));
      Set<Integer> topHalf = new HashSet<>(Arrays.asList(order).subList(0, UNITS / 2));
      Set<Integer> strong = new HashSet<>();
      for (int k = 0; k < UNITS; k++) {
        if (bucket[k] == pHigh) {
          strong.add(k);
        }
      }
      assertEquals(
          topHalf,
          strong,
          "strong bucket = the w_S = 0.5 share of units with the largest mean conductance");
    }
  }

  /**
   * With {@code importance=gradient} the strong bucket is the half of the units with the largest
   * mean gradient magnitude over the same first B / n_c rows, here written in float64: unit j's
   * score for the predicted class c is {@code |∂z_c/∂a_j| = |w_jc|}. (On this bias-free ReLU net
   * LRP-ε would equal conductance, so it could not tell the measures apart.)
   */
  @Test
  void rankedByAnotherMeasureTheStrongBucketIsThatMeasuresTopHalf() {
    YDrop ydrop = (YDrop) DropoutSpec.parse("ydrop:importance=gradient,k=0");
    try (Harness h = new Harness(ydrop);
        Result r = h.fetchAtStep3(h.parts.bucketProbability(), h.parts.pHigh())) {
      float[] bucket = Harness.values((TFloat32) r.get(0));
      float pHigh = ((TFloat32) r.get(1)).getFloat();
      int rows = ROWS / ydrop.steps();
      double[] relevance = new double[UNITS];
      for (int n = 0; n < rows; n++) {
        double[] a = new double[UNITS];
        for (int j = 0; j < UNITS; j++) {
          for (int i = 0; i < FEATURES; i++) {
            a[j] += h.input[n * FEATURES + i] * (double) h.w0[i][j];
          }
          a[j] = Math.max(0, a[j]);
        }
        double[] z = new double[5];
        int c = 0;
        for (int k = 0; k < 5; k++) {
          for (int j = 0; j < UNITS; j++) {
            z[k] += a[j] * h.w1[j][k];
          }
          c = z[k] > z[c] ? k : c;
        }
        for (int j = 0; j < UNITS; j++) {
          relevance[j] += Math.abs(h.w1[j][c]) / (double) rows;
        }
      }
      Integer[] order = new Integer[UNITS];
      Arrays.setAll(order, i -> i);
      Arrays.sort(order, (a, b) -> Double.compare(relevance[b], relevance[a]));
      assertTrue(
          relevance[order[UNITS / 2 - 1]] - relevance[order[UNITS / 2]] > 1e-4,
          "the halves are apart by more than float32 rounding: " + Arrays.toString(relevance));
      Set<Integer> topHalf = new HashSet<>(Arrays.asList(order).subList(0, UNITS / 2));
      Set<Integer> strong = new HashSet<>();
      for (int k = 0; k < UNITS; k++) {
        if (bucket[k] == pHigh) {
          strong.add(k);
        }
      }
      assertEquals(topHalf, strong, "strong bucket = the top half by mean gradient magnitude");
      assertTrue(
          !topHalf.equals(conductanceTopHalf(h)),
          "conductance would have chosen otherwise, so the measure is what chose");
    }
  }

  /** The top half of the units by the harness's separately built mean conductance. */
  private static Set<Integer> conductanceTopHalf(Harness h) {
    try (TFloat32 xs =
            TFloat32.tensorOf(Shape.of(ROWS, FEATURES), DataBuffers.of(h.input, true, false));
        Result r = h.session.runner().feed(h.x, xs).fetch(h.conductance).run()) {
      float[] conductance = Harness.values((TFloat32) r.get(0));
      Integer[] order = new Integer[UNITS];
      Arrays.setAll(order, i -> i);
      Arrays.sort(order, (a, b) -> Float.compare(conductance[b], conductance[a]));
      return new HashSet<>(Arrays.asList(order).subList(0, UNITS / 2));
    }
  }

  @Test
  void movingAverageFollowsEquationSixExactly() {
    float alpha = 0.2f;
    try (Harness h = new Harness(tableOne(alpha, 0))) {
      float[] expected = new float[UNITS];
      Arrays.fill(expected, 0.35f); // p_0
      for (long step = 0; step < 5; step++) {
        List<float[]> out = h.step(step, 0);
        float[] bucket = out.get(2);
        for (int k = 0; k < UNITS; k++) {
          assertEquals(
              expected[k], out.get(3)[k], 0f, "average before step " + step + ", unit " + k);
          expected[k] = (1 - alpha) * expected[k] + alpha * bucket[k];
          assertEquals(expected[k], out.get(4)[k], 1e-7f, "Eq. 6 at step " + step + ", unit " + k);
        }
        // Kept units are scaled by 1 / (1 - p_k[n]) with the updated average.
        float[] multiplier = out.get(5);
        for (int i = 0; i < multiplier.length; i++) {
          if (multiplier[i] != 0f) {
            assertEquals(1 / (1 - out.get(4)[i % UNITS]), multiplier[i], 1e-5f);
          }
        }
      }
    }
  }

  @Test
  void annealingUsesVanillaDropoutAtP0AndFreezesTheAverage() {
    try (Harness h = new Harness(tableOne(0.5f, 2))) {
      long kept = 0;
      long total = 0;
      for (long step = 0; step < 50; step++) {
        List<float[]> out = h.step(step, 1); // epoch 1 < K = 2
        for (float v : out.get(3)) {
          assertEquals(0.35f, v, 0f, "the average stays at p_0 while annealing");
        }
        for (float m : out.get(5)) {
          total++;
          if (m != 0f) {
            kept++;
            assertEquals(1 / (1 - 0.35f), m, 1e-6f);
          }
        }
      }
      // 50 * 40 * 20 = 40,000 draws at p0 = 0.35: the kept share has sd 0.0024.
      assertEquals(0.65, (double) kept / total, 0.012);
      List<float[]> after = h.step(50, 2); // epoch 2: Y-Drop proper
      assertTrue(after.get(4)[0] != 0.35f, "the average moves once annealing ends");
    }
  }

  /** Y-Drop at Table 1's settings (the registry's defaults) with the given alpha and k. */
  private static YDrop tableOne(float alpha, int k) {
    return (YDrop) DropoutSpec.parse("ydrop:alpha=" + alpha + ",k=" + k);
  }
}
