package dev.dropwise.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

class MasksTest {
  static float[][] random(int rows, int cols, long seed) {
    Random r = new Random(seed);
    float[][] m = new float[rows][cols];
    for (float[] row : m) {
      for (int i = 0; i < cols; i++) {
        row[i] = r.nextFloat();
      }
    }
    return m;
  }

  static float[] run(Function<Ops, Operand<TFloat32>> build) {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Operand<TFloat32> out = build.apply(tf);
      try (Session s = new Session(g);
          Result r = s.runner().fetch(out).run()) {
        TFloat32 t = (TFloat32) r.get(0);
        float[] v = new float[(int) t.size()];
        t.copyTo(DataBuffers.of(v, false, false));
        return v;
      }
    }
  }

  @Test
  void largestMarksExactlyTheTopKOfEachRow() {
    float[][] scores = random(7, 30, 1);
    float[] drop = run(tf -> Masks.largest(tf, tf.constant(scores), 9, 30));
    for (int row = 0; row < 7; row++) {
      float[] sorted = scores[row].clone();
      Arrays.sort(sorted);
      float threshold = sorted[30 - 9];
      for (int i = 0; i < 30; i++) {
        assertEquals(
            scores[row][i] >= threshold ? 1f : 0f, drop[row * 30 + i], "row " + row + " unit " + i);
      }
    }
  }

  @Test
  void sampledLargestDrawsExactlyKAndFavoursHeavyWeights() {
    float[][] weights = new float[1][10];
    for (int i = 0; i < 10; i++) {
      weights[0][i] = i < 5 ? 1f : 9f;
    }
    double[] rate = new double[10];
    int draws = 400;
    for (int d = 0; d < draws; d++) {
      long seed = d;
      float[] drop =
          run(
              tf ->
                  Masks.sampledLargest(
                      tf,
                      tf.constant(weights),
                      3,
                      10,
                      1f,
                      tf.constant(new int[] {1, 10}),
                      tf.constant(new long[] {seed, 1})));
      float count = 0;
      for (int i = 0; i < 10; i++) {
        count += drop[i];
        rate[i] += drop[i] / draws;
      }
      assertEquals(3f, count, 0f);
    }
    double light = Arrays.stream(rate, 0, 5).average().orElseThrow();
    double heavy = Arrays.stream(rate, 5, 10).average().orElseThrow();
    assertEquals(0.6, light + heavy, 1e-6, "3 of 10 dropped: the mean rate is 0.3");
    assertEquals(true, heavy > 3 * light, "weight 9 vs 1: heavy " + heavy + ", light " + light);
  }

  @Test
  void rankFractionIsOneForTheLargestAndZeroForTheSmallest() {
    float[][] scores = {{0.3f, 0.9f, 0.1f, 0.5f, 0.7f}};
    float[] rank = run(tf -> Masks.rankFraction(tf, tf.constant(scores), 5));
    assertEquals(
        List.of(0.25f, 1f, 0f, 0.5f, 0.75f), List.of(rank[0], rank[1], rank[2], rank[3], rank[4]));
  }

  /**
   * One row (inverted permutation) and many rows (a second sort) against a ranking done here, ties
   * included.
   */
  @Test
  void rankFractionOfOneRowAndOfManyRowsIsTheSortedPosition() {
    float[][] scores = new float[6][40];
    Random r = new Random(4);
    for (float[] row : scores) {
      for (int i = 0; i < row.length; i++) {
        row[i] = r.nextInt(12); // many ties
      }
    }
    float[] all = run(tf -> Masks.rankFraction(tf, tf.constant(scores), 40));
    for (int row = 0; row < scores.length; row++) {
      float[] values = scores[row];
      float[] one = run(tf -> Masks.rankFraction(tf, tf.constant(new float[][] {values}), 40));
      // Largest first, equal scores in index order: position 0 gets fraction 1.
      Integer[] order = new Integer[40];
      Arrays.setAll(order, i -> i);
      Arrays.sort(
          order,
          (a, b) ->
              values[a] != values[b] ? Float.compare(values[b], values[a]) : Integer.compare(a, b));
      for (int position = 0; position < 40; position++) {
        float expected = 1f - position / 39f;
        assertEquals(expected, one[order[position]], 1e-7f, "one row, unit " + order[position]);
        assertEquals(
            expected,
            all[row * 40 + order[position]],
            1e-7f,
            "row " + row + ", unit " + order[position]);
      }
    }
  }

  @Test
  void inverseKeepIsZeroWhereTheRateIsOne() {
    float[] out = run(tf -> Masks.inverseKeep(tf, tf.constant(new float[] {0f, 0.5f, 0.75f, 1f})));
    assertEquals(List.of(1f, 2f, 4f, 0f), List.of(out[0], out[1], out[2], out[3]));
  }
}
