package dev.dropwise.ops;

import java.util.Arrays;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Stack;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * Mask builders shared by the policies: every result is a {0, 1} <em>drop</em> indicator of the
 * shape asked for, built from stateless random ops keyed by a {@code [2]} int64 seed.
 */
public final class Masks {
  private Masks() {}

  /**
   * Marks the {@code k} largest entries of each row (last axis, length {@code depth}). TopK returns
   * k distinct indices, so exactly k per row, ties or not. The marks are scattered to their places
   * (k writes a row, not the k·depth of a sum of one-hot rows).
   */
  public static Operand<TFloat32> largest(Ops tf, Operand<TFloat32> scores, int k, int depth) {
    Operand<TFloat32> rows = tf.reshape(scores, tf.constant(new int[] {-1, depth}));
    Operand<TInt32> indices = tf.nn.topK(rows, tf.constant(k), TInt32.class).indices();
    Operand<TInt32> count =
        tf.slice(tf.shape(indices), tf.constant(new int[] {0}), tf.constant(new int[] {1}));
    // [rows, k, 2]: each index beside its row number, the coordinates ScatterNd writes a 1 to.
    Operand<TInt32> rowNumbers =
        tf.broadcastTo(
            tf.expandDims(
                tf.range(
                    tf.constant(0), tf.reshape(count, tf.constant(new int[0])), tf.constant(1)),
                tf.constant(1)),
            tf.shape(indices));
    Operand<TInt32> coordinates = tf.stack(List.of(rowNumbers, indices), Stack.axis(2L));
    Operand<TFloat32> marks =
        tf.scatterNd(coordinates, tf.fill(tf.shape(indices), tf.constant(1f)), tf.shape(rows));
    // Back to the scores' shape, static where theirs is (a later layer reads the width from it).
    int[] shape = Arrays.stream(scores.shape().asArray()).mapToInt(d -> (int) d).toArray();
    shape[0] = -1;
    boolean known = Arrays.stream(shape).skip(1).allMatch(d -> d >= 0);
    return tf.reshape(marks, known ? tf.constant(shape) : tf.shape(scores));
  }

  /**
   * Samples {@code k} entries per row without replacement, entry i with probability proportional to
   * {@code weights_i^(1/tau)} at each draw (Plackett-Luce, by the Gumbel-top-k trick: the k largest
   * of {@code log(w)/tau + Gumbel noise}).
   */
  public static Operand<TFloat32> sampledLargest(
      Ops tf,
      Operand<TFloat32> weights,
      int k,
      int depth,
      float tau,
      Operand<TInt32> shape,
      Operand<TInt64> seed) {
    Operand<TFloat32> u = tf.random.statelessRandomUniform(shape, seed, TFloat32.class);
    Operand<TFloat32> gumbel =
        tf.math.neg(
            tf.math.log(
                tf.math.neg(
                    tf.math.log(
                        tf.math.add(
                            tf.math.mul(u, tf.constant(1f - 2e-7f)), tf.constant(1e-7f))))));
    Operand<TFloat32> logW =
        tf.math.div(tf.math.log(tf.math.add(weights, tf.constant(1e-12f))), tf.constant(tau));
    return largest(tf, tf.math.add(logW, gumbel), k, depth);
  }

  /**
   * Each entry's rank position along the last axis, scaled to [0, 1]: 1 for the largest, 0 for the
   * smallest (ties broken by index). The inverse of TopK's sorting permutation: for a single row (a
   * batch-mean ranking) by InvertPermutation, otherwise by sorting the permutation.
   */
  public static Operand<TFloat32> rankFraction(Ops tf, Operand<TFloat32> scores, int depth) {
    Operand<TInt32> order = tf.nn.topK(scores, tf.constant(depth), TInt32.class).indices();
    Operand<TInt32> position;
    if (scores.shape().numDimensions() == 2 && scores.shape().get(0) == 1) {
      position =
          tf.reshape(
              tf.math.invertPermutation(tf.reshape(order, tf.constant(new int[] {depth}))),
              tf.constant(new int[] {1, depth}));
    } else {
      position = tf.nn.topK(tf.math.neg(order), tf.constant(depth), TInt32.class).indices();
    }
    return tf.math.sub(
        tf.constant(1f),
        tf.math.div(
            tf.dtypes.cast(position, TFloat32.class), tf.constant((float) Math.max(1, depth - 1))));
  }

  /**
   * Drops each entry independently with its probability {@code dropProbability} (broadcast to
   * {@code shape}).
   */
  public static Operand<TFloat32> bernoulli(
      Ops tf, Operand<TFloat32> dropProbability, Operand<TInt32> shape, Operand<TInt64> seed) {
    Operand<TFloat32> u = tf.random.statelessRandomUniform(shape, seed, TFloat32.class);
    return tf.dtypes.cast(tf.math.less(u, dropProbability), TFloat32.class);
  }

  /**
   * The multiplier that applies {@code drop} (1 = dropped) and scales kept units by {@code scale}
   * while {@code on} is 1 (training), and is exactly 1 everywhere while {@code on} is 0.
   */
  public static Operand<TFloat32> multiplier(
      Ops tf, Operand<TFloat32> drop, Operand<TFloat32> scale, Operand<TFloat32> on) {
    Operand<TFloat32> keepOrAll =
        tf.math.maximum(tf.math.sub(tf.constant(1f), drop), tf.math.sub(tf.constant(1f), on));
    Operand<TFloat32> scaleOrOne =
        tf.math.add(tf.constant(1f), tf.math.mul(on, tf.math.sub(scale, tf.constant(1f))));
    return tf.math.mul(keepOrAll, scaleOrOne);
  }

  /** {@code 1 / (1 - p)}, or 0 where p >= 1 (a unit that is always dropped never needs a scale). */
  public static Operand<TFloat32> inverseKeep(Ops tf, Operand<TFloat32> p) {
    return tf.math.divNoNan(
        tf.constant(1f), tf.math.maximum(tf.math.sub(tf.constant(1f), p), tf.constant(0f)));
  }
}
