package dev.dropwise.schedule;

import dev.dropwise.ops.StandardDropoutRate;
import java.util.Map;

/**
 * Annealed dropout: the rate moves linearly from {@code start} to {@code end} over the first {@code
 * epochs} epochs and stays at {@code end} after. (Y-Drop's first K epochs are annealing in the
 * other sense — plain dropout before the method starts — which {@code ydrop:K=} provides.)
 */
public record AnnealedRate(double start, double end, int epochs) implements RateSchedule {
  /** Refuses rates outside [0, 1) or fewer than 1 epoch. */
  public AnnealedRate {
    StandardDropoutRate.check("start", start);
    StandardDropoutRate.check("end", end);
    if (epochs < 1) {
      throw new IllegalArgumentException(
          "annealed epochs=" + epochs + " is not allowed: must be >= 1");
    }
  }

  @Override
  public double rate(ScheduleContext c) {
    double t = Math.min(1.0, (double) c.epoch() / epochs);
    return start + (end - start) * t;
  }

  @Override
  public String name() {
    return "annealed";
  }

  @Override
  public Map<String, Object> settings() {
    return Map.of("start", start, "end", end, "epochs", epochs);
  }
}
