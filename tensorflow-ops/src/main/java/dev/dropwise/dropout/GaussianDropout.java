package dev.dropwise.dropout;

import dev.dropwise.ops.DropoutOps;
import dev.dropwise.ops.StandardDropoutRate;
import dev.dropwise.schedule.RateSchedule;
import java.util.Map;
import java.util.Objects;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * Gaussian dropout (Srivastava et al., 2014, section 10): every unit is multiplied by noise {@code
 * 1 + σ·ε}, ε ~ N(0, 1), {@code σ = sqrt(p / (1 − p))}: mean 1 and the variance of inverted
 * Bernoulli dropout at rate p, as Keras's {@code GaussianDropout(rate)} and Deeplearning4j's {@code
 * GaussianDropout}. Nothing is set to zero, so the history's dropped fraction reads 0. At a fixed
 * rate, or at the rate a {@code schedule} sets for every epoch ({@code
 * gaussian:p=curriculum(r=0.5)}).
 *
 * @param p the rate whose Bernoulli variance the noise has, in [0, 1); 0 where a schedule sets it
 * @param schedule the schedule that sets the rate, or null for the fixed rate {@code p}
 */
public record GaussianDropout(double p, RateSchedule schedule) implements SchedulableRate {

  /** Refuses a rate outside [0, 1); with a schedule, p is 0. */
  public GaussianDropout {
    StandardDropoutRate.check("p", p);
    if (schedule != null) {
      p = 0;
    }
  }

  /** At the fixed rate {@code p}. */
  public GaussianDropout(double p) {
    this(p, null);
  }

  /** At the rate {@code schedule} sets for every epoch. */
  public GaussianDropout(RateSchedule schedule) {
    this(0, Objects.requireNonNull(schedule, "schedule"));
  }

  @Override
  public GaussianDropout atRate(double rate) {
    return new GaussianDropout(rate);
  }

  /** Every value of a feature map is a unit, as Keras's GaussianDropout treats it. */
  @Override
  public UnitView featureMapUnits() {
    return UnitView.ELEMENTS;
  }

  @Override
  public String name() {
    return "gaussian";
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
        ops.gaussianMultiplier(x, ctx.rate(this, (float) p), ctx.training(), ctx.seed());
    return new Masked(ops.apply(x, multiplier), multiplier);
  }

  @Override
  public String toString() {
    return RecordForm.of(this);
  }
}
