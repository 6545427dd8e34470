package dev.dropwise.schedule;

import dev.dropwise.ops.StandardDropoutRate;

/** The same rate throughout. */
public record ConstantRate(double rate) implements RateSchedule {
  public ConstantRate {
    StandardDropoutRate.check("r", rate);
  }

  @Override
  public double rate(ScheduleContext context) {
    return rate;
  }

  @Override
  public String text() {
    return "schedule=constant,r=" + rate;
  }
}
