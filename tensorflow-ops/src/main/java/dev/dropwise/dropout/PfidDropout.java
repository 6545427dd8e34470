package dev.dropwise.dropout;

import dev.dropwise.importance.ImportanceMeasures;
import dev.dropwise.importance.ImportanceSpec;
import dev.dropwise.importance.ScoreSource;
import dev.dropwise.ops.Masks;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * PFID (seed 001): a drop probability per unit from its importance, recomputed after each update
 * (or once per epoch) and used for the next batch.
 *
 * <ul>
 *   <li>{@code form=linear} (the PFID lemma): {@code p = 1 − α·norm(I)}, norm the min-max
 *       normalisation over the layer's units (all-equal importance normalises to 0.5);
 *   <li>{@code form=eq13}: {@code p = r0·(1 − exp(−λ_epoch·norm(I)))} with Eq. 14's {@code λ_epoch
 *       = λ_init·(1 + κ·(e/E)^θ)}. As written this <em>raises</em> the rate of important units, the
 *       opposite of the prose around it; dropwise implements the formula as written and says so. I
 *       is normalised as above so that λ has a scale-free meaning.
 *   <li>{@code form=compounded} (Eq. 16): one rate for the whole layer, {@code r = r0·Π_i (1 −
 *       λ_epoch·s_i)}, λ_epoch as in Eq. 14. The seed leaves I(f_i)'s scale open, and with raw
 *       importance (or min-max normalised, as above) the product of a thousand factors is 0 or
 *       negative; dropwise uses each unit's share of the layer's importance, {@code s_i = I_i / Σ
 *       I}, so the product lies in {@code [e^−λ, 1 − λ]} for λ ≤ 1: close to {@code r0·e^−λ} when
 *       importance is spread over many units, up to {@code r0·(1 − λ)} when one unit holds it all.
 *       Factors are clipped at 0. {@code mean} does not apply (the rate is already one number).
 * </ul>
 *
 * {@code mean}: if set, the rates are rescaled so that the layer's mean rate is that value (then
 * capped at {@code max}); the lemma's rates average far above usual dropout rates (α = 0.5 gives p
 * in [0.5, 1], and the least important unit is always dropped). Kept units are scaled by {@code 1 /
 * (1 − p)} per unit, so each unit's expected output is unchanged.
 */
public record PfidDropout(
    float alpha,
    ImportanceSpec importance,
    Form form,
    float r0,
    float lambdaInit,
    float kappa,
    float theta,
    boolean perEpoch,
    float meanRate,
    float maxRate,
    int examples)
    implements ImportanceGuided {

  /** Which of the seed's rate formulas; see the class comment. */
  public enum Form {
    /** The lemma: p = 1 - alpha·norm(I). */
    LINEAR,
    /** Eq. 13, with lambda's epoch schedule (Eq. 14). */
    EQ13,
    /** Eq. 16: one rate for the whole layer, a product over its units' importance shares. */
    COMPOUNDED
  }

  /**
   * Refuses values outside their ranges; the linear form keeps Eq. 13's settings at their defaults.
   */
  public PfidDropout {
    if (!(alpha >= 0 && alpha <= 1)) {
      throw new IllegalArgumentException(
          "PFID alpha=" + alpha + " is not allowed: must be in [0, 1]");
    }
    if (!(r0 >= 0 && r0 < 1)) {
      throw new IllegalArgumentException("PFID r0=" + r0 + " is not allowed: must be in [0, 1)");
    }
    if (!(meanRate >= 0 && meanRate < 1)) {
      throw new IllegalArgumentException(
          "PFID mean="
              + meanRate
              + " is not allowed: must be in [0, 1) (0 = as the formula gives)");
    }
    if (!(maxRate > 0 && maxRate <= 1)) {
      throw new IllegalArgumentException(
          "PFID max=" + maxRate + " is not allowed: must be in (0, 1]");
    }
    if (examples < 1) {
      throw new IllegalArgumentException(
          "PFID examples=" + examples + " is not allowed: must be >= 1");
    }
    // The linear form uses none of Eq. 13/16's settings: the spec holds their defaults, so specs
    // that compute the same are equal and share their text.
    if (form == Form.LINEAR) {
      r0 = 0.5f;
      lambdaInit = 1f;
      kappa = 1f;
      theta = 1f;
    }
  }

  @Override
  public String name() {
    return "pfid";
  }

  @Override
  public Map<String, Object> settings() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("alpha", alpha);
    out.put("importance", importance.name());
    out.put("form", form);
    out.put("r0", r0);
    out.put("lambda", lambdaInit);
    out.put("kappa", kappa);
    out.put("theta", theta);
    out.put("update", perEpoch ? "epoch" : "step");
    out.put("mean", meanRate);
    out.put("max", maxRate);
    out.put("examples", examples == Integer.MAX_VALUE ? "all" : examples);
    // The measure's own settings (target, steps, path, epsilon, gamma) where they differ from its
    // defaults.
    out.putAll(ImportanceMeasures.writtenSettings(importance));
    return out;
  }

  /** Its output is its input times its multiplier. */
  @Override
  public boolean multipliesUnits() {
    return true;
  }

  @Override
  public Masked apply(DropoutContext ctx, Operand<TFloat32> x) {
    Ops tf = ctx.tf();
    Operand<TFloat32> importanceMean =
        ctx.scores()
            .stored(
                new ImportanceSpec.Magnitude(importance),
                ctx.hiddenIndex(),
                new ScoreSource.Subset(1, examples),
                perEpoch);
    Operand<TFloat32> rate =
        tf.math.minimum(rates(tf, importanceMean, ctx.progress()), tf.constant(maxRate));
    Operand<TFloat32> drop = Masks.bernoulli(tf, rate, ctx.maskShape(x, false), ctx.seed());
    return DropoutSpec.gate(ctx, x, drop, Masks.inverseKeep(tf, rate));
  }

  /** Per-unit drop probabilities (before the cap) from the importance of the layer's units. */
  Operand<TFloat32> rates(Ops tf, Operand<TFloat32> importance, Operand<TFloat32> progress) {
    Operand<TFloat32> min = tf.reduceMin(importance, tf.constant(0));
    Operand<TFloat32> range = tf.math.sub(tf.reduceMax(importance, tf.constant(0)), min);
    Operand<TFloat32> normalised =
        tf.select(
            tf.math.greater(range, tf.constant(0f)),
            tf.math.divNoNan(tf.math.sub(importance, min), range),
            tf.math.mul(tf.constant(0.5f), tf.onesLike(importance)));
    // Eq. 14.
    Operand<TFloat32> lambda =
        tf.math.mul(
            tf.constant(lambdaInit),
            tf.math.add(
                tf.constant(1f),
                tf.math.mul(tf.constant(kappa), tf.math.pow(progress, tf.constant(theta)))));
    Operand<TFloat32> p;
    if (form == Form.COMPOUNDED) {
      Operand<TFloat32> share =
          tf.math.divNoNan(importance, tf.reduceSum(importance, tf.constant(0)));
      Operand<TFloat32> factors =
          tf.math.maximum(
              tf.math.sub(tf.constant(1f), tf.math.mul(lambda, share)), tf.constant(0f));
      Operand<TFloat32> layerRate =
          tf.math.mul(tf.constant(r0), tf.reduceProd(factors, tf.constant(0)));
      return tf.math.mul(layerRate, tf.onesLike(importance));
    } else if (form == Form.EQ13) {
      p =
          tf.math.mul(
              tf.constant(r0),
              tf.math.sub(
                  tf.constant(1f), tf.math.exp(tf.math.neg(tf.math.mul(lambda, normalised)))));
    } else {
      p = tf.math.sub(tf.constant(1f), tf.math.mul(tf.constant(alpha), normalised));
    }
    if (meanRate > 0) {
      p = tf.math.mul(p, tf.math.divNoNan(tf.constant(meanRate), tf.math.mean(p, tf.constant(0))));
    }
    return p;
  }
}
