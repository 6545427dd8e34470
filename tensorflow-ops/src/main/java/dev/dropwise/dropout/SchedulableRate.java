package dev.dropwise.dropout;

import dev.dropwise.schedule.RateSchedule;
import java.util.Optional;

/**
 * A dropout method whose rate a {@link RateSchedule} may set for every epoch instead of a fixed
 * {@code p} (standard, sector-wise, Gaussian, DropBlock): its record holds the schedule, or null. A
 * scheduled method has no {@code mc_dropout} signature in an export: the rate belongs to training.
 */
public interface SchedulableRate extends DropoutSpec {
  /** The schedule that sets the rate, or null for the fixed rate. */
  RateSchedule schedule();

  @Override
  default Optional<RateSchedule> rateSchedule() {
    return Optional.ofNullable(schedule());
  }

  /**
   * The same method at the fixed rate {@code rate}: what an export's Monte Carlo passes sample of a
   * scheduled layer, at the rate its schedule set last. Refused where the method does not take that
   * rate.
   */
  SchedulableRate atRate(double rate);

  /** Masks from the seed alone, at a fixed rate: Monte Carlo dropout can run it in an export. */
  @Override
  default boolean monteCarloAtServing() {
    return schedule() == null;
  }
}
