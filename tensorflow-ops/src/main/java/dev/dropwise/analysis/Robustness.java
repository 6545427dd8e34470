package dev.dropwise.analysis;

import dev.dropwise.data.Dataset;
import dev.dropwise.model.ModelSpec;
import dev.dropwise.network.Network;
import dev.dropwise.util.Seeds;
import dev.dropwise.util.Tensors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Robustness curves (Y-Drop Fig. 3): test accuracy of a trained model while a growing fraction of
 * every hidden layer's units is removed at inference (set to 0, no rescaling) — at random, repeated
 * with different draws, and most important first.
 */
public final class Robustness {
  private Robustness() {}

  private static final double[] FRACTIONS = {
    0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99
  };

  /** The fractions of units removed that Y-Drop's Fig. 3 plots, 0 to 99% (a fresh copy). */
  public static double[] fractions() {
    return FRACTIONS.clone();
  }

  /**
   * Accuracy at one fraction: random removal (mean, sample std over repeats) and most important
   * first.
   */
  public record Point(
      double fraction, double randomMean, double randomStd, double importantFirst) {}

  /**
   * The curve of the model {@code spec} whose variables hold {@code values.apply(name)} (as {@link
   * dev.dropwise.analysis.Explainer} takes a model). A unit is what the importance scores score: a
   * channel after a convolution or pooling (removed from the whole map), else a unit.
   *
   * @param importance per hidden layer, one score per unit (higher = removed earlier)
   */
  public static List<Point> curve(
      ModelSpec spec,
      Function<String, float[]> values,
      List<double[]> importance,
      Dataset data,
      double[] fractions,
      int repeats,
      long seed) {
    try (InferenceGraph model = new InferenceGraph(spec)) {
      Ops tf = model.tf();
      Network network = model.network();
      Placeholder<TInt32> labels = model.labels();
      List<Placeholder<TFloat32>> keep = new ArrayList<>();
      for (int l = 0; l < network.hiddenCount(); l++) {
        keep.add(tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(network.units(l)))));
      }
      Operand<TFloat32> logits =
          network
              .forward(
                  tf,
                  model.input(),
                  (l, h) ->
                      h.shape().numDimensions() == 4
                          ? tf.math.mul(
                              h, tf.reshape(keep.get(l), tf.constant(new int[] {1, 1, 1, -1})))
                          : tf.math.mul(h, keep.get(l)))
              .logits();
      Placeholder<TFloat32> x = model.input();
      Operand<TFloat32> correct =
          tf.reduceSum(
              tf.dtypes.cast(
                  tf.math.equal(tf.math.argMax(logits, tf.constant(1), TInt32.class), labels),
                  TFloat32.class),
              tf.constant(0));
      Session session = model.start(values);
      try (TFloat32 xs =
              TFloat32.tensorOf(
                  Shape.of(data.size(), data.featureCount()),
                  DataBuffers.of(data.features(), true, false));
          TInt32 ys =
              TInt32.tensorOf(Shape.of(data.size()), DataBuffers.of(data.labels(), true, false))) {
        SplittableRandom random = new SplittableRandom(Seeds.mix(seed, 0));
        List<Point> points = new ArrayList<>();
        for (double fraction : fractions) {
          double[] accuracies = new double[repeats];
          for (int r = 0; r < repeats; r++) {
            List<float[]> masks = new ArrayList<>();
            for (Placeholder<TFloat32> m : keep) {
              int units = (int) m.shape().get(0);
              masks.add(maskKeeping(Dataset.permutation(units, random.nextLong()), fraction));
            }
            accuracies[r] = accuracy(session, x, labels, keep, correct, xs, ys, masks, data.size());
          }
          List<float[]> ranked = new ArrayList<>();
          for (double[] scores : importance) {
            ranked.add(maskKeeping(byDescendingScore(scores), fraction));
          }
          double mean = Arrays.stream(accuracies).average().orElse(0);
          double std =
              repeats < 2
                  ? 0
                  : Math.sqrt(
                      Arrays.stream(accuracies).map(a -> (a - mean) * (a - mean)).sum()
                          / (repeats - 1));
          points.add(
              new Point(
                  fraction,
                  mean,
                  std,
                  accuracy(session, x, labels, keep, correct, xs, ys, ranked, data.size())));
        }
        return points;
      }
    }
  }

  /**
   * A {1, 0} mask over units that zeroes the first {@code round(fraction · units)} units of {@code
   * order}.
   */
  static float[] maskKeeping(int[] order, double fraction) {
    float[] mask = new float[order.length];
    Arrays.fill(mask, 1f);
    int removed = (int) Math.round(fraction * order.length);
    for (int i = 0; i < removed; i++) {
      mask[order[i]] = 0f;
    }
    return mask;
  }

  /** Unit indices from the highest score to the lowest. */
  static int[] byDescendingScore(double[] scores) {
    Integer[] idx = new Integer[scores.length];
    for (int i = 0; i < idx.length; i++) {
      idx[i] = i;
    }
    Arrays.sort(idx, (a, b) -> Double.compare(scores[b], scores[a]));
    return Arrays.stream(idx).mapToInt(Integer::intValue).toArray();
  }

  private static double accuracy(
      Session session,
      Placeholder<TFloat32> x,
      Placeholder<TInt32> labels,
      List<Placeholder<TFloat32>> keep,
      Operand<TFloat32> correct,
      TFloat32 xs,
      TInt32 ys,
      List<float[]> masks,
      int n) {
    List<TFloat32> tensors = new ArrayList<>();
    try {
      Session.Runner runner = session.runner().feed(x, xs).feed(labels, ys).fetch(correct);
      for (int l = 0; l < keep.size(); l++) {
        TFloat32 t = TFloat32.vectorOf(masks.get(l));
        tensors.add(t);
        runner.feed(keep.get(l), t);
      }
      try (Result r = runner.run()) {
        // The count is a whole number a float holds exactly; divided in double, k/n is exact.
        return (double) Tensors.toArray((TFloat32) r.get(0))[0] / n;
      }
    } finally {
      tensors.forEach(TFloat32::close);
    }
  }
}
