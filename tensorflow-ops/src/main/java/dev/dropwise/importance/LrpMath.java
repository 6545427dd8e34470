package dev.dropwise.importance;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** The two divisions every LRP rule makes safe: the ε stabiliser and division by nothing. */
final class LrpMath {
  private LrpMath() {}

  /** {@code z + ε·sign(z)} with sign(0) = 1. */
  static Operand<TFloat32> stabilised(Ops tf, Operand<TFloat32> z, float epsilon) {
    Operand<TFloat32> sign =
        tf.math.sub(
            tf.math.mul(
                tf.constant(2f),
                tf.dtypes.cast(tf.math.greaterEqual(z, tf.constant(0f)), TFloat32.class)),
            tf.constant(1f));
    return tf.math.add(z, tf.math.mul(tf.constant(epsilon), sign));
  }

  /** {@code r / d}, and 0 where {@code |d| <= LrpRule.TINY}. */
  static Operand<TFloat32> safeDivide(Ops tf, Operand<TFloat32> r, Operand<TFloat32> d) {
    return tf.math.divNoNan(
        r,
        tf.math.mul(
            d,
            tf.dtypes.cast(
                tf.math.greater(tf.math.abs(d), tf.constant(LrpRule.TINY)), TFloat32.class)));
  }
}
