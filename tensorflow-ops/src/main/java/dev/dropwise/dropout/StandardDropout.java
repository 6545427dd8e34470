package dev.dropwise.dropout;

import dev.dropwise.ops.DropoutOps;
import dev.dropwise.ops.StandardDropoutRate;
import dev.dropwise.schedule.RateSchedule;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * Bernoulli dropout with inverted scaling 1/(1-p), a fresh mask per example; at a fixed rate {@code
 * p}, or at the rate a {@code schedule} sets for every epoch ({@code standard:p=adaptive(r0=0.3)},
 * also written {@code scheduled:schedule=adaptive,r0=0.3}), fed with each step so the graph never
 * changes.
 *
 * @param p the drop rate, in [0, 1); 0 where a schedule sets it
 * @param schedule the schedule that sets the rate, or null for the fixed rate {@code p}
 */
public record StandardDropout(double p, RateSchedule schedule) implements SchedulableRate {

  /** Refuses a rate outside [0, 1); with a schedule, p is 0. */
  public StandardDropout {
    StandardDropoutRate.check("p", p);
    if (schedule != null) {
      p = 0;
    }
  }

  /** At the fixed rate {@code p}. */
  public StandardDropout(double p) {
    this(p, null);
  }

  /** At the rate {@code schedule} sets for every epoch. */
  public StandardDropout(RateSchedule schedule) {
    this(0, java.util.Objects.requireNonNull(schedule, "schedule"));
  }

  @Override
  public StandardDropout atRate(double rate) {
    return new StandardDropout(rate);
  }

  /** Every value of a feature map is a unit, as after a convolution in Keras. */
  @Override
  public UnitView featureMapUnits() {
    return UnitView.ELEMENTS;
  }

  @Override
  public String name() {
    return "standard";
  }

  @Override
  public Map<String, Object> settings() {
    return Map.of("p", schedule == null ? p : schedule.text());
  }

  /** Its output is its input times its multiplier. */
  @Override
  public boolean multipliesUnits() {
    return true;
  }

  @Override
  public Masked apply(DropoutContext ctx, Operand<TFloat32> x) {
    DropoutOps ops = ctx.ops();
    Operand<TFloat32> multiplier =
        ops.standardMultiplier(x, ctx.rate(this, (float) p), ctx.training(), ctx.seed());
    return new Masked(ops.apply(x, multiplier), multiplier);
  }

  /**
   * The record's form without the schedule at a fixed rate: saved runs are keyed by the model
   * spec's string form ({@code SavedRuns.name}), so every run saved before schedules joined keeps
   * its key.
   */
  @Override
  public String toString() {
    return RecordForm.of(this);
  }
}
