package dev.dropwise.dropout;

import dev.dropwise.ops.Masks;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.ReduceSum;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/** What the structured dropout methods share: the normalised gate and the spatial mask shape. */
final class FeatureMaps {
  private FeatureMaps() {}

  /**
   * Applies a spatial drop pattern {@code drop [N, H, W, 1]} (1 = dropped, shared by the channels)
   * to {@code x [N, H, W, C]}, each example's kept positions scaled by {@code H·W / kept} so that
   * the mask's mean is exactly 1 (DropBlock's normalisation; an example with nothing kept gets 0).
   * Identity when not training.
   */
  static Masked normalisedGate(DropoutContext ctx, Operand<TFloat32> x, Operand<TFloat32> drop) {
    Ops tf = ctx.tf();
    float positions = x.shape().get(1) * x.shape().get(2);
    Operand<TFloat32> kept =
        tf.reduceSum(
            tf.math.sub(tf.constant(1f), drop),
            tf.constant(new int[] {1, 2, 3}),
            ReduceSum.keepDims(true));
    Operand<TFloat32> scale = tf.math.divNoNan(tf.constant(positions), kept);
    Operand<TFloat32> multiplier = Masks.multiplier(tf, drop, scale, ctx.trainingFloat());
    return new Masked(ctx.ops().apply(x, multiplier), multiplier);
  }

  /** {@code [N, H, W, 1]}: the batch size of {@code x} with its spatial size and one channel. */
  static Operand<TInt32> spatialShape(Ops tf, Operand<TFloat32> x) {
    return tf.concat(
        List.of(
            tf.slice(tf.shape(x), tf.constant(new int[] {0}), tf.constant(new int[] {3})),
            tf.constant(new int[] {1})),
        tf.constant(0));
  }
}
