package dev.dropwise.dropout;

import dev.dropwise.network.FeatureShape;
import dev.dropwise.ops.Masks;
import dev.dropwise.ops.StandardDropoutRate;
import dev.dropwise.schedule.RateSchedule;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * DropBlock (Ghiasi et al., 2018): structured dropout (seed 001, Eq. 3–6) whose pattern is
 * contiguous {@code block x block} squares of the feature map, shared by its channels.
 *
 * <ol>
 *   <li>Block centres are drawn where a whole block fits, each with probability {@code γ = p_t /
 *       block² · H·W / ((H − block + 1)(W − block + 1))} (the paper's γ, which ignores overlaps, so
 *       the dropped fraction comes out a little under {@code p_t});
 *   <li>every centre drops the block around it ({@link #blocks}: a min-pool of the keep pattern);
 *   <li>each example's kept positions are scaled by {@code H·W / kept}: the mask's mean is exactly
 *       1.
 * </ol>
 *
 * The keep-probability schedule: {@code 1 − p_t} falls linearly from 1 to {@code 1 − p} as training
 * progress ({@code epoch / epochs}) goes from 0 to {@code ramp}, constant after; {@code ramp = 0}
 * (the default) uses {@code p} from the start. Ghiasi et al. ramp over the whole training ({@code
 * ramp = 1}); with progress counted in whole epochs the first epoch then drops nothing.
 *
 * <p>A {@code schedule} may set {@code p} for every epoch instead ({@code
 * dropblock:p=curriculum(r=0.1)}); a ramp then scales the scheduled rate the same way.
 *
 * @param p the drop rate, in [0, 1); 0 where a schedule sets it
 * @param block the side of the dropped squares, at least 1
 * @param ramp the share of training over which the rate ramps up from 0, in [0, 1]
 * @param schedule the schedule that sets the rate, or null for the fixed rate {@code p}
 */
public record DropBlock(double p, int block, double ramp, RateSchedule schedule)
    implements StructuredDropout, SchedulableRate {
  /** Refuses a rate outside [0, 1), a block below 1 or a ramp outside [0, 1]. */
  public DropBlock {
    StandardDropoutRate.check("p", p);
    if (schedule != null) {
      p = 0;
    }
    if (block < 1) {
      throw new IllegalArgumentException(
          "dropblock block=" + block + " is not allowed: must be >= 1");
    }
    if (!(ramp >= 0 && ramp <= 1)) {
      throw new IllegalArgumentException(
          "dropblock ramp=" + ramp + " is not allowed: must be in [0, 1]");
    }
  }

  /** At the fixed rate {@code p}. */
  public DropBlock(double p, int block, double ramp) {
    this(p, block, ramp, null);
  }

  @Override
  public DropBlock atRate(double rate) {
    return new DropBlock(rate, block, ramp);
  }

  /** At a fixed rate only, as every {@link SchedulableRate}: a schedule's rate is training's. */
  @Override
  public boolean monteCarloAtServing() {
    return SchedulableRate.super.monteCarloAtServing();
  }

  @Override
  public String name() {
    return "dropblock";
  }

  @Override
  public Map<String, Object> settings() {
    return Map.of("p", schedule == null ? p : schedule.text(), "block", block, "ramp", ramp);
  }

  @Override
  public void checkInput(FeatureShape shape) {
    StructuredDropout.super.checkInput(shape);
    if (block > shape.height() || block > shape.width()) {
      throw new IllegalArgumentException(
          "dropblock block="
              + block
              + " does not fit a "
              + shape.height()
              + "x"
              + shape.width()
              + " feature map: must be <= "
              + Math.min(shape.height(), shape.width()));
    }
  }

  /** The seed-centre probability γ for rate {@code rate} on an {@code h x w} map. */
  public double gamma(double rate, int h, int w) {
    return rate / (block * block) * (h * w) / ((double) (h - block + 1) * (w - block + 1));
  }

  @Override
  public Masked apply(DropoutContext ctx, Operand<TFloat32> x) {
    Ops tf = ctx.tf();
    int h = (int) x.shape().get(1);
    int w = (int) x.shape().get(2);
    Operand<TFloat32> rate = ctx.rate(this, (float) p);
    if (ramp > 0) {
      rate =
          tf.math.mul(
              rate,
              tf.math.minimum(
                  tf.constant(1f), tf.math.div(ctx.progress(), tf.constant((float) ramp))));
    }
    Operand<TFloat32> gamma = tf.math.mul(rate, tf.constant((float) gamma(1, h, w)));
    Operand<TFloat32> centres =
        tf.math.mul(
            Masks.bernoulli(tf, gamma, FeatureMaps.spatialShape(tf, x), ctx.seed()),
            tf.constant(validCentres(h, w)));
    return FeatureMaps.normalisedGate(ctx, x, blocks(tf, centres, block));
  }

  /** {@code [1, h, w, 1]}: 1 where a block centred there lies wholly inside the map. */
  float[][][][] validCentres(int h, int w) {
    float[][][][] valid = new float[1][h][w][1];
    int before = block / 2;
    int after = (block - 1) / 2;
    for (int i = before; i < h - after; i++) {
      for (int j = before; j < w - after; j++) {
        valid[0][i][j][0] = 1;
      }
    }
    return valid;
  }

  /**
   * The drop pattern of a centre indicator {@code [N, H, W, 1]}: 1 wherever a {@code block x block}
   * window around some centre covers the position (a max-pool, stride 1, padding SAME).
   */
  static Operand<TFloat32> blocks(Ops tf, Operand<TFloat32> centres, int block) {
    Operand<TInt32> window = tf.constant(new int[] {1, block, block, 1});
    return tf.nn.maxPool(centres, window, tf.constant(new int[] {1, 1, 1, 1}), "SAME");
  }

  /** The record's form before schedules joined, so saved runs keep their names. */
  @Override
  public String toString() {
    return RecordForm.of(this);
  }
}
