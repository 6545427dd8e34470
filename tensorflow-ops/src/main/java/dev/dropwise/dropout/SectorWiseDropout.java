package dev.dropwise.dropout;

import dev.dropwise.ops.DropoutOps;
import dev.dropwise.ops.SectorLayout;
import dev.dropwise.ops.SectorWiseRules;
import dev.dropwise.schedule.RateSchedule;
import java.util.Map;
import java.util.Objects;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * Sector-wise dropout (seed 000): sectors of n units, exactly round(p*n) dropped in each; at a
 * fixed share {@code p}, or at the rate a {@code schedule} sets for every epoch ({@code
 * sector:n=8,p=adaptive(r0=0.3)}; see {@link DropoutOps#sectorWiseMultiplier(Operand, int, Operand,
 * boolean, Operand, Operand)} for how a fed rate becomes a count).
 *
 * @param n the sector size, at least 2
 * @param p the share dropped per sector; 0 where a schedule sets it
 * @param perBatch one mask shared by the batch instead of one per example (the default)
 * @param schedule the schedule that sets the rate, or null for the fixed share {@code p}
 */
public record SectorWiseDropout(int n, double p, boolean perBatch, RateSchedule schedule)
    implements SchedulableRate {

  /**
   * Refuses a sector size below 2 or, at a fixed share, a rate whose round(p·n) is not in [1, n-1].
   */
  public SectorWiseDropout {
    if (schedule == null) {
      SectorWiseRules.check(n, p);
    } else {
      SectorWiseRules.checkSize(n);
      p = 0;
    }
  }

  /** At the fixed share {@code p}. */
  public SectorWiseDropout(int n, double p, boolean perBatch) {
    this(n, p, perBatch, null);
  }

  /** At the fixed share {@code p}, a mask per example. */
  public SectorWiseDropout(int n, double p) {
    this(n, p, false);
  }

  /** At the rate {@code schedule} sets for every epoch. */
  public SectorWiseDropout(int n, RateSchedule schedule, boolean perBatch) {
    this(n, 0, perBatch, Objects.requireNonNull(schedule, "schedule"));
  }

  @Override
  public SectorWiseDropout atRate(double rate) {
    return new SectorWiseDropout(n, rate, perBatch);
  }

  @Override
  public String name() {
    return "sector";
  }

  @Override
  public Map<String, Object> settings() {
    return Map.of(
        "n",
        n,
        "p",
        schedule == null ? p : schedule.text(),
        "mode",
        perBatch ? "batch" : "example");
  }

  @Override
  public void checkWidth(int width) {
    if (schedule == null) {
      new SectorLayout(width, n, p);
    } else {
      SectorWiseRules.checkFits(width, n);
    }
  }

  /** Its output is its input times its multiplier. */
  @Override
  public boolean multipliesUnits() {
    return true;
  }

  @Override
  public Masked apply(DropoutContext ctx, Operand<TFloat32> x) {
    int width = (int) x.shape().get(x.shape().numDimensions() - 1);
    DropoutOps ops = ctx.ops();
    Operand<TFloat32> multiplier =
        schedule == null
            ? ops.sectorWiseMultiplier(
                x, new SectorLayout(width, n, p), perBatch, ctx.training(), ctx.seed())
            : ops.sectorWiseMultiplier(
                x, n, ctx.rate(this, 0), perBatch, ctx.training(), ctx.seed());
    return new Masked(ops.apply(x, multiplier), multiplier);
  }

  /** The record's form before schedules joined, so saved runs keep their names. */
  @Override
  public String toString() {
    return RecordForm.of(this);
  }
}
