package dev.dropwise.dropout;

import dev.dropwise.importance.ImportanceMeasures;
import dev.dropwise.importance.ImportanceSpec;
import dev.dropwise.importance.ScoreSource;
import dev.dropwise.importance.Target;
import dev.dropwise.ops.Masks;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Y-Drop (seed 002): units ranked by mean conductance over {@code B_c = max(1, B / n_c)} examples
 * of the batch (§4.3), the top {@code w_S} fraction forming the strong bucket; each step draws
 * {@code p_H = min(μ_H + σ|z|, p_H^max)} and {@code p_L = min(μ_L + σ|z'|, p_L^max)} (right-half
 * normals, Eq. 8), drops each unit of each example with its bucket's probability, and scales kept
 * units by {@code 1 / (1 − p_k[n])}, the moving average of Eq. 6 with elasticity α starting from
 * {@code p_0}. The first {@code annealEpochs} epochs use vanilla dropout at {@code p_0} and leave
 * the average untouched.
 *
 * <p>{@code factoredPath} computes the conductance with the first layer's products shared along the
 * path ({@link dev.dropwise.importance.ImportanceOps#conductance}): faster, rounded differently,
 * off by default.
 *
 * <p>{@code importance}: the measure units are ranked by, conductance by default (the paper's);
 * another registered measure ranks the same {@code B_c} examples by its signed batch mean, as
 * conductance does.
 *
 * <p>Table 1 gives no truncation thresholds; dropwise uses μ + 3σ (0.25 for the weak bucket, 0.75
 * for the strong one), which keeps 99.7% of the half-normal's draws unchanged.
 */
public record YDrop(
    float alpha,
    int annealEpochs,
    int steps,
    float strongShare,
    float muLow,
    float muHigh,
    float sigma,
    float p0,
    float maxLow,
    float maxHigh,
    ImportanceSpec importance)
    implements ImportanceGuided {

  /**
   * Y-Drop as the paper defines it: ranked by conductance of {@code steps} steps at {@code target}
   * ({@code factoredPath}: the faster path, rounded differently).
   */
  public YDrop(
      float alpha,
      int annealEpochs,
      int steps,
      float strongShare,
      float muLow,
      float muHigh,
      float sigma,
      float p0,
      float maxLow,
      float maxHigh,
      Target target,
      boolean factoredPath) {
    this(
        alpha,
        annealEpochs,
        steps,
        strongShare,
        muLow,
        muHigh,
        sigma,
        p0,
        maxLow,
        maxHigh,
        new ImportanceSpec.Conductance(steps, target, factoredPath));
  }

  /** Refuses values outside their ranges, naming the setting. */
  public YDrop {
    if (!(alpha >= 0 && alpha <= 1)) {
      throw new IllegalArgumentException(
          "Y-Drop alpha=" + alpha + " is not allowed: the elasticity must be in [0, 1]");
    }
    if (annealEpochs < 0) {
      throw new IllegalArgumentException(
          "Y-Drop k=" + annealEpochs + " is not allowed: must be >= 0");
    }
    if (steps < 1) {
      throw new IllegalArgumentException("Y-Drop nc=" + steps + " is not allowed: must be >= 1");
    }
    if (!(strongShare > 0 && strongShare < 1)) {
      throw new IllegalArgumentException(
          "Y-Drop ws=" + strongShare + " is not allowed: must be in (0, 1)");
    }
    String[] names = {"mul", "muh", "p0", "maxl", "maxh"};
    float[] rates = {muLow, muHigh, p0, maxLow, maxHigh};
    for (int i = 0; i < rates.length; i++) {
      if (!(rates[i] >= 0 && rates[i] < 1)) {
        throw new IllegalArgumentException(
            "Y-Drop " + names[i] + "=" + rates[i] + " is not allowed: a rate, in [0, 1)");
      }
    }
    if (!(importance instanceof ImportanceSpec.Conductance)
        && ImportanceMeasures.writtenSettings(importance).containsKey("steps")) {
      throw new IllegalArgumentException(
          "Y-Drop importance="
              + importance.text()
              + " is not allowed: Y-Drop hands its measure no steps (nc is a conductance's);"
              + " use the measure at its default steps");
    }
    if (importance instanceof ImportanceSpec.Conductance c && c.steps() != steps) {
      throw new IllegalArgumentException(
          "Y-Drop importance="
              + importance.text()
              + " with nc="
              + steps
              + " is not allowed: its conductance takes nc steps (give the conductance "
              + steps
              + " steps, or set nc)");
    }
    if (maxLow < muLow || maxHigh < muHigh) {
      throw new IllegalArgumentException(
          "Y-Drop maxl="
              + maxLow
              + ", maxh="
              + maxHigh
              + " is not allowed: each cap must be >= its bucket's mean (mul="
              + muLow
              + ", muh="
              + muHigh
              + ")");
    }
  }

  @Override
  public String name() {
    return "ydrop";
  }

  @Override
  public Map<String, Object> settings() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("alpha", alpha);
    out.put("k", annealEpochs);
    out.put("nc", steps);
    out.put("ws", strongShare);
    out.put("mul", muLow);
    out.put("muh", muHigh);
    out.put("sigma", sigma);
    out.put("p0", p0);
    out.put("maxl", maxLow);
    out.put("maxh", maxHigh);
    out.put("importance", importance.name());
    // The measure's settings where they differ from its defaults; a conductance's steps are nc.
    Map<String, String> measure =
        new LinkedHashMap<>(ImportanceMeasures.writtenSettings(importance));
    if (paperMeasure()) {
      measure.remove("steps");
    }
    out.putAll(measure);
    return out;
  }

  /** Whether it ranks by conductance of {@code nc} steps, as the paper does. */
  private boolean paperMeasure() {
    return importance instanceof ImportanceSpec.Conductance c && c.steps() == steps;
  }

  /**
   * The record's form as it was before the measure could be chosen, {@code factoredPath} only when
   * set and the measure only when it is not the paper's: saved runs are keyed by the model spec's
   * string form ({@code SavedRuns.name}), so every run saved before these fields existed keeps its
   * key.
   */
  @Override
  public String toString() {
    return "YDrop[alpha="
        + alpha
        + ", annealEpochs="
        + annealEpochs
        + ", steps="
        + steps
        + ", strongShare="
        + strongShare
        + ", muLow="
        + muLow
        + ", muHigh="
        + muHigh
        + ", sigma="
        + sigma
        + ", p0="
        + p0
        + ", maxLow="
        + maxLow
        + ", maxHigh="
        + maxHigh
        + (paperMeasure() ? paperMeasureText() : ", importance=" + importance)
        + "]";
  }

  private String paperMeasureText() {
    ImportanceSpec.Conductance c = (ImportanceSpec.Conductance) importance;
    return ", target=" + c.target() + (c.factored() ? ", factoredPath=true" : "");
  }

  /** The tensors of one Y-Drop layer, exposed for tests and analysis. */
  public record Parts(
      Masked masked,
      Operand<TFloat32> pLow,
      Operand<TFloat32> pHigh,
      Operand<TFloat32> bucketProbability,
      Operand<TFloat32> movingAverage,
      Operand<TFloat32> updatedAverage) {}

  /** Its output is its input times its multiplier. */
  @Override
  public boolean multipliesUnits() {
    return true;
  }

  @Override
  public Masked apply(DropoutContext ctx, Operand<TFloat32> x) {
    return build(ctx, x).masked();
  }

  /** The ops of one Y-Drop layer: the mask, and the buckets and averages the tests look at. */
  public Parts build(DropoutContext ctx, Operand<TFloat32> x) {
    Ops tf = ctx.tf();
    int width = (int) x.shape().get(1);
    Operand<TFloat32> scores =
        tf.math.mean(
            ctx.scores()
                .current(
                    importance,
                    ctx.hiddenIndex(),
                    new ScoreSource.Subset(steps, Integer.MAX_VALUE)),
            tf.constant(0));
    int strongCount = Math.max(1, Math.min(width - 1, Math.round(strongShare * width)));
    Operand<TFloat32> strong =
        tf.reshape(
            Masks.largest(
                tf, tf.reshape(scores, tf.constant(new int[] {1, width})), strongCount, width),
            tf.constant(new int[] {width}));
    Operand<TFloat32> z =
        tf.math.abs(
            tf.random.statelessRandomNormal(
                tf.constant(new int[] {2}), ctx.seed(1), TFloat32.class));
    Operand<TFloat32> pLow =
        tf.math.minimum(
            tf.math.add(
                tf.constant(muLow),
                tf.math.mul(tf.constant(sigma), tf.gather(z, tf.constant(0), tf.constant(0)))),
            tf.constant(maxLow));
    Operand<TFloat32> pHigh =
        tf.math.minimum(
            tf.math.add(
                tf.constant(muHigh),
                tf.math.mul(tf.constant(sigma), tf.gather(z, tf.constant(1), tf.constant(0)))),
            tf.constant(maxHigh));
    Operand<TFloat32> bucket =
        tf.math.add(
            tf.math.mul(strong, pHigh), tf.math.mul(tf.math.sub(tf.constant(1f), strong), pLow));
    Variable<TFloat32> average =
        ctx.state("ydrop_ema", tf.fill(tf.constant(new int[] {width}), tf.constant(p0)));
    Operand<TFloat32> updated =
        tf.math.add(
            tf.math.mul(tf.constant(1 - alpha), average), tf.math.mul(tf.constant(alpha), bucket));
    // Annealing: vanilla dropout at p0 for the first K epochs, the moving average left as it is.
    Operand<TFloat32> annealing =
        tf.dtypes.cast(tf.math.less(ctx.epoch(), tf.constant((long) annealEpochs)), TFloat32.class);
    Operand<TFloat32> active = tf.math.sub(tf.constant(1f), annealing);
    Operand<TFloat32> rate =
        tf.math.add(tf.math.mul(annealing, tf.constant(p0)), tf.math.mul(active, bucket));
    Operand<TFloat32> scale =
        tf.math.add(
            tf.math.mul(annealing, tf.constant(1 / (1 - p0))),
            tf.math.mul(active, Masks.inverseKeep(tf, updated)));
    ctx.onTrainingStep(
        tf.assign(
            average, tf.math.add(tf.math.mul(annealing, average), tf.math.mul(active, updated))));
    Operand<TFloat32> drop = Masks.bernoulli(tf, rate, ctx.maskShape(x, false), ctx.seed(2));
    return new Parts(DropoutSpec.gate(ctx, x, drop, scale), pLow, pHigh, bucket, average, updated);
  }
}
