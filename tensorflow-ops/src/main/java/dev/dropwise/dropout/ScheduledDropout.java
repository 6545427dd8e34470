package dev.dropwise.dropout;

import dev.dropwise.schedule.RateSchedule;
import dev.dropwise.util.Settings;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * Standard dropout whose rate follows a {@link RateSchedule}: the trainer computes the rate of
 * every epoch and feeds it with each step, so the graph never changes.
 */
public record ScheduledDropout(RateSchedule schedule) implements DropoutSpec {

  /** Every value of a feature map is a unit, as after a convolution in Keras. */
  @Override
  public UnitView featureMapUnits() {
    return UnitView.ELEMENTS;
  }

  @Override
  public String name() {
    return "scheduled";
  }

  /** The schedule's kind and settings, as its text writes them. */
  @Override
  public Map<String, Object> settings() {
    return Map.copyOf(Settings.parse(schedule.text(), "scheduled").written());
  }

  // Schedules write themselves (RateSchedule.text), nested parts included.
  @Override
  public String text() {
    return "scheduled:" + schedule.text();
  }

  @Override
  public Masked apply(DropoutContext ctx, Operand<TFloat32> x) {
    if (ctx.scheduledRate() == null) {
      throw new IllegalStateException("a scheduled dropout layer needs the graph's rate input");
    }
    var ops = ctx.ops();
    Operand<TFloat32> multiplier =
        ops.standardMultiplier(x, ctx.scheduledRate(), ctx.training(), ctx.seed());
    return new Masked(ops.apply(x, multiplier), multiplier);
  }
}
