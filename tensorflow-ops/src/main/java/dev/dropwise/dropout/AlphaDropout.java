package dev.dropwise.dropout;

import dev.dropwise.ops.Masks;
import dev.dropwise.ops.StandardDropoutRate;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Alpha dropout (Klambauer et al., 2017), for SELU networks: a dropped unit is set to SELU's
 * negative saturation {@code α' = −λα ≈ −1.7581} instead of 0, and {@code a·x + b} with {@code a =
 * (q + α'²·q·(1 − q))^(−1/2)}, {@code b = −a·(1 − q)·α'} (q = 1 − p the keep probability) restores
 * zero mean and unit variance, so the self-normalising property survives. Not training: the input
 * unchanged.
 */
public record AlphaDropout(double p) implements DropoutSpec {

  /** Masks from the seed alone: Monte Carlo dropout can run it in an exported model. */
  @Override
  public boolean monteCarloAtServing() {
    return true;
  }

  /** SELU's λ·α. */
  static final double SATURATION = -1.0507009873554805 * 1.6732632423543772;

  /** Refuses a rate outside [0, 1). */
  public AlphaDropout {
    StandardDropoutRate.check("p", p);
  }

  /** The affine correction's scale a. */
  public double a() {
    double q = 1 - p;
    return 1 / Math.sqrt(q + SATURATION * SATURATION * q * (1 - q));
  }

  /** The affine correction's shift b. */
  public double b() {
    return -a() * p * SATURATION;
  }

  /** Every value of a feature map is a unit, as after a convolution in Keras. */
  @Override
  public UnitView featureMapUnits() {
    return UnitView.ELEMENTS;
  }

  @Override
  public String name() {
    return "alpha";
  }

  @Override
  public Map<String, Object> settings() {
    return Map.of("p", p);
  }

  @Override
  public Masked apply(DropoutContext ctx, Operand<TFloat32> x) {
    Ops tf = ctx.tf();
    Operand<TFloat32> keep =
        tf.stopGradient(
            tf.math.sub(
                tf.constant(1f),
                Masks.bernoulli(tf, tf.constant((float) p), ctx.maskShape(x, false), ctx.seed())));
    Operand<TFloat32> dropped =
        tf.math.add(
            tf.math.mul(x, keep),
            tf.math.mul(tf.constant((float) SATURATION), tf.math.sub(tf.constant(1f), keep)));
    Operand<TFloat32> corrected =
        tf.math.add(tf.math.mul(tf.constant((float) a()), dropped), tf.constant((float) b()));
    // x + t·(corrected − x): exactly x when not training.
    Operand<TFloat32> on = ctx.trainingFloat();
    Operand<TFloat32> out =
        tf.withName("dropout_output").math.add(x, tf.math.mul(on, tf.math.sub(corrected, x)));
    Operand<TFloat32> droppedIndicator =
        tf.stopGradient(tf.math.maximum(keep, tf.math.sub(tf.constant(1f), on)));
    return new Masked(out, droppedIndicator);
  }
}
