package dev.dropwise.dropout;

import dev.dropwise.network.FeatureShape;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * What a dropout method treats as one unit when it follows a feature map {@code [N, H, W, C]}. On a
 * flat layer every view is the layer's units.
 *
 * <ul>
 *   <li>{@link #ELEMENTS}: every value of the map (standard, Alpha and scheduled dropout, as
 *       Keras's Dropout after a convolution);
 *   <li>{@link #CHANNELS}: one unit per channel, its mask broadcast over the map (sector-wise and
 *       the importance-guided methods, whose scores are channel importance: see {@link
 *       dev.dropwise.importance.ImportanceOps#channelTotals});
 *   <li>{@link #MAP}: the method takes the whole map (the structured family: SpatialDropout,
 *       DropBlock, spatially aware dropout).
 * </ul>
 */
public enum UnitView {
  /** Every value of the map is a unit. */
  ELEMENTS,
  /** Each channel is a unit, its score the channel's total. */
  CHANNELS,
  /** The method takes the whole map. */
  MAP;

  /** How many units a method sees on {@code shape}. */
  public int width(FeatureShape shape) {
    if (!shape.map()) {
      return shape.channels();
    }
    return switch (this) {
      case ELEMENTS -> shape.size();
      case CHANNELS, MAP -> shape.channels();
    };
  }

  /**
   * Applies {@code method} to {@code x} through this view: a feature map is reshaped to {@code [N,
   * H*W*C]} for ELEMENTS, or stands in as {@code [N, C]} (its spatial mean) for CHANNELS, whose
   * multiplier then scales whole channels. Flat inputs and MAP methods get {@code x} unchanged.
   */
  static Masked apply(UnitView view, DropoutSpec method, DropoutContext ctx, Operand<TFloat32> x) {
    if (x.shape().numDimensions() != 4 || view == MAP) {
      return method.apply(ctx, x);
    }
    Ops tf = ctx.tf();
    Operand<TInt32> shape = tf.shape(x);
    if (view == ELEMENTS) {
      int size = (int) (x.shape().get(1) * x.shape().get(2) * x.shape().get(3));
      Masked flat = method.apply(ctx, tf.reshape(x, tf.constant(new int[] {-1, size})));
      return new Masked(tf.reshape(flat.output(), shape), flat.multiplier());
    }
    int channels = (int) x.shape().get(3);
    Masked perChannel = method.apply(ctx, tf.math.mean(x, tf.constant(new int[] {1, 2})));
    if (perChannel.multiplier() == null) {
      return new Masked(x, null);
    }
    Operand<TFloat32> multiplier =
        tf.reshape(perChannel.multiplier(), tf.constant(new int[] {-1, 1, 1, channels}));
    return new Masked(ctx.ops().apply(x, multiplier), perChannel.multiplier());
  }
}
