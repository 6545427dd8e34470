package dev.dropwise.schedule;

/**
 * The dropout rate a layer uses in an epoch. Rates are fed to the graph every step, so a schedule
 * changes nothing in the graph; the trainer records each layer's rate in the history.
 */
public interface RateSchedule {

  /** The rate for the epoch in {@code context}, in [0, 1). */
  double rate(ScheduleContext context);

  /** The schedule as command-line text. */
  String text();

  /**
   * Called with the context of every finished epoch (its record last in the history), for schedules
   * that learn.
   */
  default void observe(ScheduleContext finished) {}

  /** A copy in its initial state, so that every training starts a learning schedule afresh. */
  default RateSchedule fresh() {
    return this;
  }

  /** Keeps a computed rate inside [0, maxRate]. */
  static double clamp(double rate, double maxRate) {
    return Double.isNaN(rate) ? 0 : Math.max(0, Math.min(maxRate, rate));
  }
}
