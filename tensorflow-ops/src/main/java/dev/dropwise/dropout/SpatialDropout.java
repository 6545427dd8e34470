package dev.dropwise.dropout;

import dev.dropwise.ops.Masks;
import dev.dropwise.ops.StandardDropoutRate;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * SpatialDropout (Tompson et al., 2015): structured dropout (seed 001, Eq. 3–6) whose pattern
 * function {@code S(L_structure)} is the layer's channels — each channel of each example is dropped
 * whole with probability {@code p}, {@code Pattern = I(rand < p) ⊙ S}, and kept channels are scaled
 * by {@code 1 / (1 − p)}. Neighbouring pixels of a feature map are strongly correlated, so dropping
 * single pixels barely regularises; dropping a channel does.
 */
public record SpatialDropout(double p) implements StructuredDropout {
  /** Refuses a rate outside [0, 1). */
  public SpatialDropout {
    StandardDropoutRate.check("p", p);
  }

  @Override
  public String name() {
    return "spatial";
  }

  @Override
  public Map<String, Object> settings() {
    return Map.of("p", p);
  }

  @Override
  public Masked apply(DropoutContext ctx, Operand<TFloat32> x) {
    Ops tf = ctx.tf();
    Operand<TInt32> shape =
        tf.concat(
            List.of(
                tf.slice(tf.shape(x), tf.constant(new int[] {0}), tf.constant(new int[] {1})),
                tf.constant(new int[] {1, 1, (int) x.shape().get(3)})),
            tf.constant(0));
    Operand<TFloat32> drop = Masks.bernoulli(tf, tf.constant((float) p), shape, ctx.seed());
    return DropoutSpec.gate(ctx, x, drop, Masks.inverseKeep(tf, tf.constant((float) p)));
  }
}
