package dev.dropwise.dropout;

import dev.dropwise.importance.ImportanceMeasures;
import dev.dropwise.importance.ImportanceSpec;
import dev.dropwise.importance.ScoreSource;
import dev.dropwise.ops.Masks;
import dev.dropwise.ops.StandardDropoutRate;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * LRP-guided dropout (seed 000): drop {@code k = round(p * width)} units of each layer chosen by
 * their absolute relevance.
 *
 * <ul>
 *   <li>{@code select=rank} (the default): each unit of each example is dropped independently with
 *       {@code q = p·(1 + bias·(2r − 1))}, r its relevance rank in the layer scaled to [0, 1] (1 =
 *       most relevant), and kept units are scaled by {@code 1 / (1 − q)}. The most relevant unit is
 *       dropped with p·(1 + bias), the least with p·(1 − bias), the layer on average with exactly
 *       p; masks are fresh per example as in standard dropout.
 *   <li>{@code select=top}: the k = round(p·width) most relevant, deterministically (the paper and
 *       its official code); {@code low}: the k least relevant; {@code sample}: k drawn without
 *       replacement with probability proportional to |relevance|^(1/tau) (Gumbel-top-k).
 *   <li>{@code mode=batch}: one mask per batch from the mean |relevance| over the batch (the
 *       official code); {@code mode=example}: a mask per example from its own relevance.
 *   <li>{@code timing=after}: relevance computed after the step's parameter update and used for the
 *       next batch (the official code; batch mode only); {@code timing=current}: relevance of this
 *       batch with the weights before the update.
 *   <li>{@code importance}: LRP with {@code rule} (LRP-ε by default); another registered measure
 *       ({@code importance=conductance}) ranks the units by its absolute value instead.
 *   <li>{@code scale=uniform}: kept units scaled by width / (width − k) (inverted dropout at rate k
 *       / width); {@code scale=ema}: each unit scaled by 1 / (1 − q̂), q̂ the moving average
 *       (elasticity {@code alpha}) of how often that unit was dropped, capped at 0.9 — keeps each
 *       unit's expected output when some units are dropped far more often than others.
 * </ul>
 */
public record LrpGuidedDropout(
    double p,
    ImportanceSpec importance,
    Selection select,
    boolean perExample,
    boolean afterUpdate,
    float tau,
    Scale scale,
    float alpha,
    int examples,
    float bias)
    implements ImportanceGuided {

  /** Which units are dropped, by their relevance. */
  public enum Selection {
    /** Every unit, at a rate that rises with its relevance rank (the shipped default). */
    RANK,
    /** The round(p·width) most relevant units (the official code). */
    TOP,
    /** The round(p·width) least relevant units. */
    LOW,
    /** round(p·width) units drawn with probabilities from their relevance (softmax at tau). */
    SAMPLE
  }

  /** How the kept units of a top, low or sampled selection are scaled. */
  public enum Scale {
    /** All by width / (width - k), as the official code. */
    UNIFORM,
    /** Each by 1 / (1 - its estimated drop rate), a moving average with elasticity alpha. */
    EMA
  }

  /** Highest a unit's estimated drop rate may be taken to be when scaling (1 / (1 - 0.9) = 10). */
  static final float MAX_ESTIMATED_RATE = 0.9f;

  /**
   * Refuses what cannot run (see the messages); settings the selection does not use take their
   * defaults.
   */
  public LrpGuidedDropout {
    StandardDropoutRate.check("p", p);
    if (p == 0) {
      throw new IllegalArgumentException("LRP-guided p=0 drops nothing; allowed: 0 < p < 1");
    }
    if (perExample && afterUpdate) {
      throw new IllegalArgumentException(
          "LRP-guided mode=example needs timing=current: relevance computed after the update belongs to the previous batch's examples");
    }
    if (!(tau > 0)) {
      throw new IllegalArgumentException("tau=" + tau + " is not allowed: must be > 0");
    }
    if (!(alpha > 0 && alpha <= 1)) {
      throw new IllegalArgumentException(
          "alpha=" + alpha + " is not allowed: the elasticity must be in (0, 1]");
    }
    if (examples < 1) {
      throw new IllegalArgumentException("examples=" + examples + " is not allowed: must be >= 1");
    }
    if (!(bias >= 0 && bias <= 1) || p * (1 + bias) >= 1) {
      throw new IllegalArgumentException(
          "bias="
              + bias
              + " with p="
              + p
              + " is not allowed: need 0 <= bias <= 1 and p*(1+bias) < 1 (the most relevant unit's rate)");
    }
    // Settings the selection does not use take their defaults, so specs that compute the same are
    // equal and share their text: tau only samples, bias only ranks, scale (and its alpha) only
    // scales the k units a top, low or sampled selection drops.
    if (select != Selection.SAMPLE) {
      tau = 1f;
    }
    if (select != Selection.RANK) {
      bias = 0f;
    } else {
      scale = Scale.UNIFORM;
    }
    if (scale != Scale.EMA) {
      alpha = 0.01f;
    }
  }

  /** The official code's configuration: top p by batch-mean |LRP-ε| computed after the update. */
  public static LrpGuidedDropout official(double p) {
    return new LrpGuidedDropout(
        p,
        ImportanceSpec.parse("lrp-eps"),
        Selection.TOP,
        false,
        true,
        1f,
        Scale.UNIFORM,
        0.01f,
        Integer.MAX_VALUE,
        0f);
  }

  @Override
  public String name() {
    return "lrp";
  }

  @Override
  public Map<String, Object> settings() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("p", p);
    // rule=R is importance=lrp-R; another measure leaves the rule unwritten.
    if (importance instanceof ImportanceSpec.Lrp) {
      out.put("rule", importance.name().substring("lrp-".length()));
    }
    out.put("importance", importance.name());
    out.put("select", select);
    out.put("bias", bias);
    out.put("mode", perExample ? "example" : "batch");
    out.put("timing", afterUpdate ? "after" : "current");
    out.put("tau", tau);
    out.put("scale", scale);
    out.put("alpha", alpha);
    out.put("examples", examples == Integer.MAX_VALUE ? "all" : examples);
    // The measure's own settings (target, epsilon, gamma) where they differ from its defaults.
    out.putAll(ImportanceMeasures.writtenSettings(importance));
    return out;
  }

  @Override
  public void checkWidth(int width) {
    int k = (int) Math.round(p * width);
    if (k < 1 || k > width - 1) {
      throw new IllegalArgumentException(
          "LRP-guided k = round(p*width) = round("
              + p
              + "*"
              + width
              + ") = "
              + k
              + " is not allowed: it must be in [1, "
              + (width - 1)
              + "]");
    }
  }

  /** Its output is its input times its multiplier. */
  @Override
  public boolean multipliesUnits() {
    return true;
  }

  @Override
  public Masked apply(DropoutContext ctx, Operand<TFloat32> x) {
    Ops tf = ctx.tf();
    int width = (int) x.shape().get(1);
    checkWidth(width);
    int k = (int) Math.round(p * width);
    ImportanceSpec magnitude = new ImportanceSpec.Magnitude(importance);
    ScoreSource.Subset subset = new ScoreSource.Subset(1, examples);
    Operand<TFloat32> scores;
    if (perExample) {
      scores = ctx.scores().current(magnitude, ctx.hiddenIndex(), ScoreSource.Subset.ALL);
    } else {
      Operand<TFloat32> mean =
          afterUpdate
              ? ctx.scores().stored(magnitude, ctx.hiddenIndex(), subset, false)
              : tf.math.mean(
                  ctx.scores().current(magnitude, ctx.hiddenIndex(), subset), tf.constant(0));
      scores = tf.reshape(mean, tf.constant(new int[] {1, width}));
    }
    if (select == Selection.RANK) {
      Operand<TFloat32> rank = Masks.rankFraction(tf, scores, width);
      Operand<TFloat32> rate =
          tf.math.mul(
              tf.constant((float) p),
              tf.math.add(
                  tf.constant(1f),
                  tf.math.mul(
                      tf.constant(bias),
                      tf.math.sub(tf.math.mul(tf.constant(2f), rank), tf.constant(1f)))));
      Operand<TFloat32> drop = Masks.bernoulli(tf, rate, ctx.maskShape(x, false), ctx.seed());
      return DropoutSpec.gate(ctx, x, drop, Masks.inverseKeep(tf, rate));
    }
    Operand<TFloat32> drop =
        switch (select) {
          case RANK -> throw new AssertionError("handled above");
          case TOP -> Masks.largest(tf, scores, k, width);
          case LOW -> Masks.largest(tf, tf.math.neg(scores), k, width);
          case SAMPLE -> {
            Operand<TInt32> shape =
                perExample ? tf.shape(scores) : tf.constant(new int[] {1, width});
            yield Masks.sampledLargest(tf, scores, k, width, tau, shape, ctx.seed());
          }
        };
    Operand<TFloat32> unitScale;
    if (scale == Scale.UNIFORM) {
      unitScale = tf.constant((float) width / (width - k));
    } else {
      Variable<TFloat32> estimated =
          ctx.state(
              "drop_rate_ema", tf.fill(tf.constant(new int[] {width}), tf.constant((float) p)));
      Operand<TFloat32> observed = tf.math.mean(drop, tf.constant(0));
      Operand<TFloat32> updated =
          tf.math.add(
              tf.math.mul(tf.constant(1 - alpha), estimated),
              tf.math.mul(tf.constant(alpha), observed));
      ctx.onTrainingStep(tf.assign(estimated, updated));
      unitScale = Masks.inverseKeep(tf, tf.math.minimum(updated, tf.constant(MAX_ESTIMATED_RATE)));
    }
    return DropoutSpec.gate(ctx, x, drop, unitScale);
  }
}
