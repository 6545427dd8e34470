package dev.dropwise.dropout;

import dev.dropwise.ops.Masks;
import dev.dropwise.ops.StandardDropoutRate;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.math.Mean;
import org.tensorflow.types.TFloat32;

/**
 * Spatially aware dropout (seed 001, Eq. 7–8): {@code Pattern_spatial(L, F, r) = I(rand < r) ⊙
 * S_spatial(L, F)}, a mask over the feature map's positions (shared by its channels) that keeps the
 * spatially prominent features. The seed leaves {@code S_spatial} open ("feature prominence and
 * spatial correlations ... convolutional filtering, pooling"); here:
 *
 * <ol>
 *   <li>prominence of a position = the mean over channels of {@code |a|} (the activation map);
 *   <li>spatial correlation = that map averaged over a {@code window x window} neighbourhood
 *       (average pooling, stride 1), so a position inside a prominent region counts as prominent;
 *   <li>{@code σ_i = 0} (protected) for the {@code protect} fraction of each example's positions
 *       with the highest smoothed prominence, {@code σ_i = 1} (droppable) for the rest;
 *   <li>a droppable position is dropped when {@code rand < p / (1 − protect)}, so that on average a
 *       fraction {@code p} of all positions is dropped, as with the other methods' {@code p};
 *   <li>kept positions are scaled by {@code H·W / kept} per example (as DropBlock).
 * </ol>
 *
 * The prominence is read from this step's activations with gradients stopped.
 */
public record SpatiallyAwareDropout(double p, double protect, int window)
    implements StructuredDropout {
  /** Refuses a rate above 1 - protect, a protected share outside [0, 1) or a window below 1. */
  public SpatiallyAwareDropout {
    StandardDropoutRate.check("p", p);
    if (!(protect >= 0 && protect < 1)) {
      throw new IllegalArgumentException(
          "spatially-aware protect=" + protect + " is not allowed: must be in [0, 1)");
    }
    if (p > 1 - protect) {
      throw new IllegalArgumentException(
          "spatially-aware p="
              + p
              + " with protect="
              + protect
              + " is not allowed: only 1 - protect = "
              + (1 - protect)
              + " of the positions can be dropped, so p must be <= that");
    }
    if (window < 1) {
      throw new IllegalArgumentException(
          "spatially-aware window=" + window + " is not allowed: must be >= 1");
    }
  }

  @Override
  public String name() {
    return "spatially-aware";
  }

  @Override
  public Map<String, Object> settings() {
    return Map.of("p", p, "protect", protect, "window", window);
  }

  @Override
  public Masked apply(DropoutContext ctx, Operand<TFloat32> x) {
    Ops tf = ctx.tf();
    int h = (int) x.shape().get(1);
    int w = (int) x.shape().get(2);
    Operand<TFloat32> prominence =
        tf.math.mean(tf.math.abs(tf.stopGradient(x)), tf.constant(3), Mean.keepDims(true));
    Operand<TFloat32> smoothed =
        tf.nn.avgPool(
            prominence,
            List.of(1L, (long) window, (long) window, 1L),
            List.of(1L, 1L, 1L, 1L),
            "SAME");
    // Rank of each position within its example, 1 for the most prominent.
    Operand<TFloat32> rank =
        tf.reshape(
            Masks.rankFraction(tf, tf.reshape(smoothed, tf.constant(new int[] {-1, h * w})), h * w),
            tf.constant(new int[] {-1, h, w, 1}));
    Operand<TFloat32> droppable =
        tf.dtypes.cast(
            tf.math.less(rank, tf.constant((float) droppableRankLimit(h * w))), TFloat32.class);
    Operand<TFloat32> chance =
        Masks.bernoulli(
            tf,
            tf.constant((float) (p / (1 - protect))),
            FeatureMaps.spatialShape(tf, x),
            ctx.seed());
    return FeatureMaps.normalisedGate(ctx, x, tf.math.mul(chance, droppable));
  }

  /**
   * Positions whose rank fraction (1 = most prominent, 0 = least, steps of 1/(n−1)) is below this
   * are droppable: exactly {@code n − round(protect · n)} of the n positions.
   */
  double droppableRankLimit(int n) {
    int protectedCount = (int) Math.round(protect * n);
    int droppableCount = n - protectedCount;
    // Rank fractions are k / (n - 1), k = 0..n-1; the droppable ones are k < droppableCount.
    return n == 1 ? (droppableCount == 1 ? 2 : 0) : (droppableCount - 0.5) / (n - 1);
  }
}
