package dev.dropwise.dropout;

import dev.dropwise.ops.Masks;
import dev.dropwise.ops.StandardDropoutRate;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * DropConnect (Wan et al., 2013): instead of units, the <em>connections</em> into the next Dense
 * layer are dropped — its kernel becomes {@code W ⊙ M / (1 − p)} while training, M Bernoulli(1 −
 * p). Placed after a layer, it passes that layer's output unchanged and the model masks the next
 * layer's weights. One mask per step is shared by the batch (a mask per example would need a kernel
 * per example); not training, the kernel is used as it is.
 */
public record DropConnect(double p) implements DropoutSpec {
  /** Refuses a rate outside [0, 1). */
  public DropConnect {
    StandardDropoutRate.check("p", p);
  }

  @Override
  public String name() {
    return "dropconnect";
  }

  @Override
  public Map<String, Object> settings() {
    return Map.of("p", p);
  }

  /**
   * Passes the activations through: the masking happens on the next layer's kernel ({@link
   * #maskNextKernel}).
   */
  @Override
  public Masked apply(DropoutContext ctx, Operand<TFloat32> x) {
    return new Masked(x, null);
  }

  @Override
  public boolean masksNextKernel() {
    return true;
  }

  /** The kernel to use: masked and rescaled while training, as it is otherwise. */
  @Override
  public Operand<TFloat32> maskNextKernel(DropoutContext ctx, Operand<TFloat32> kernel) {
    Ops tf = ctx.tf();
    Operand<TFloat32> drop =
        Masks.bernoulli(tf, tf.constant((float) p), tf.shape(kernel), ctx.seed());
    return DropoutSpec.gate(ctx, kernel, drop, tf.constant((float) (1 / (1 - p)))).output();
  }
}
