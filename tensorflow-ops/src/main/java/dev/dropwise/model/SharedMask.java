package dev.dropwise.model;

import dev.dropwise.dropout.DropoutContext;
import dev.dropwise.dropout.DropoutSpec;
import dev.dropwise.dropout.Masked;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A Monte Carlo pass's dropout layer with one mask for every example of the batch: {@code method}'s
 * multiplier drawn for the batch's first row alone, so of shape {@code [1, units]}, and applied to
 * every row — exactly the mask the pass's seed gives an example predicted alone, in one graph run
 * (the consistent masks BatchBALD needs). Only for a method whose output is its input times a
 * multiplier drawn from the seed alone ({@link #applies}).
 */
record SharedMask(DropoutSpec method) implements DropoutSpec {

  /**
   * Whether a shared mask is {@code method}'s: it samples from a seed alone and multiplies the
   * units of a flat layer, so the first row's multiplier is any row's.
   */
  static boolean applies(DropoutSpec method, boolean flatInput) {
    return method.monteCarloAtServing() && method.multipliesUnits() && flatInput;
  }

  @Override
  public String name() {
    return method.name();
  }

  @Override
  public Map<String, Object> settings() {
    return method.settings();
  }

  @Override
  public String text() {
    return "shared(" + method.text() + ")";
  }

  @Override
  public boolean monteCarloAtServing() {
    return true;
  }

  @Override
  public Masked applyTo(DropoutContext ctx, Operand<TFloat32> x) {
    return apply(ctx, x);
  }

  @Override
  public Masked apply(DropoutContext ctx, Operand<TFloat32> x) {
    Ops tf = ctx.tf();
    Operand<TFloat32> first =
        tf.slice(x, tf.constant(new int[] {0, 0}), tf.constant(new int[] {1, -1}));
    Operand<TFloat32> multiplier = method.applyTo(ctx, first).multiplier();
    return new Masked(ctx.ops().apply(x, multiplier), multiplier);
  }
}
