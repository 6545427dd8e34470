package dev.dropwise.examples.targeted;

import dev.dropwise.dropout.DropoutContext;
import dev.dropwise.dropout.DropoutSpec;
import dev.dropwise.dropout.Masked;
import dev.dropwise.ops.Masks;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Targeted dropout, unit variant (Gomez et al. 2019, arXiv:1905.13678): at every step the {@code
 * gamma} share of the layer's units whose incoming weight columns have the smallest L2 norms are
 * candidates, and each candidate is dropped with probability {@code alpha}; the other units are
 * never dropped. The network learns to do without its weakest units, so that pruning them after
 * training costs little.
 *
 * <p>Choices where the paper leaves room: one mask per step for the whole batch (the paper drops
 * the candidates' weight columns, which acts on every example alike); kept candidates are scaled by
 * {@code 1 / (1 - alpha)} like every dropout in dropwise, so each unit's expected output equals its
 * dropout-free output (the paper's code does not rescale); the norms are taken without gradient
 * (the choice of candidates is not trained).
 */
public record TargetedDropout(double gamma, double alpha) implements DropoutSpec {
  public TargetedDropout {
    if (!(gamma >= 0 && gamma <= 1)) {
      throw new IllegalArgumentException(
          "targeted dropout gamma="
              + gamma
              + " is not allowed: the candidates' share must be in [0, 1]");
    }
    if (!(alpha >= 0 && alpha < 1)) {
      throw new IllegalArgumentException(
          "targeted dropout alpha=" + alpha + " is not allowed: the drop rate must be in [0, 1)");
    }
  }

  @Override
  public String name() {
    return TargetedDropoutMethod.NAME;
  }

  /** By its parameters' names; dropwise writes the text from these ({@code targeted:gamma=...}). */
  @Override
  public Map<String, Object> settings() {
    return Map.of("gamma", gamma, "alpha", alpha);
  }

  /** The number of candidates among {@code width} units. */
  public int candidates(int width) {
    return (int) Math.round(gamma * width);
  }

  @Override
  public Masked apply(DropoutContext ctx, Operand<TFloat32> x) {
    if (ctx.layerKernel() == null) {
      throw new IllegalArgumentException(
          text() + " needs the weights of the layer before it: place it after a Dense layer");
    }
    Ops tf = ctx.tf();
    int width = (int) x.shape().get(1);
    Operand<TFloat32> kernel = tf.stopGradient(ctx.layerKernel());
    int rank = kernel.shape().numDimensions();
    int[] allButUnits = new int[rank - 1];
    for (int axis = 0; axis < rank - 1; axis++) {
      allButUnits[axis] = axis;
    }
    Operand<TFloat32> norms =
        tf.reshape(
            tf.math.sqrt(tf.reduceSum(tf.math.square(kernel), tf.constant(allButUnits))),
            tf.constant(new int[] {1, width}));
    // The candidates: the smallest norms are the largest negated norms.
    Operand<TFloat32> candidate = Masks.largest(tf, tf.math.neg(norms), candidates(width), width);
    Operand<TFloat32> rate = tf.math.mul(candidate, tf.constant((float) alpha));
    Operand<TFloat32> drop =
        Masks.bernoulli(tf, rate, tf.constant(new int[] {1, width}), ctx.seed());
    return DropoutSpec.gate(ctx, x, drop, Masks.inverseKeep(tf, rate));
  }
}
