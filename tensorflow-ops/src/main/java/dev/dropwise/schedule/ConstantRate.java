package dev.dropwise.schedule;

import dev.dropwise.ops.StandardDropoutRate;
import java.util.Map;

/** The same rate throughout. */
public record ConstantRate(double rate) implements RateSchedule {
  /** Refuses a rate outside [0, 1). */
  public ConstantRate {
    StandardDropoutRate.check("r", rate);
  }

  @Override
  public double rate(ScheduleContext context) {
    return rate;
  }

  @Override
  public String name() {
    return "constant";
  }

  @Override
  public Map<String, Object> settings() {
    return Map.of("r", rate);
  }
}
