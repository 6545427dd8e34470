package dev.dropwise.schedule;

import java.util.Map;

/**
 * The dropout rate a layer uses in an epoch. To add a kind of your own: implement {@link #rate}
 * (and {@link #observe} / {@link #fresh} if it learns), {@link #name} and {@link #settings}, and
 * register a {@link ScheduleKind} that makes it from its settings. Rates are fed to the graph every
 * step, so a schedule changes nothing in the graph; the trainer records each layer's rate in the
 * history.
 */
public interface RateSchedule {

  /** The rate for the epoch in {@code context}, in [0, 1). */
  double rate(ScheduleContext context);

  /** The name of the registered kind that makes this schedule, e.g. {@code adaptive}. */
  String name();

  /**
   * Its settings by the names its kind's parameters have; the text is written from them (a setting
   * left out is at its default).
   */
  Map<String, Object> settings();

  /**
   * The schedule as a setting's value: its name, then in parentheses the settings that differ from
   * the defaults, {@code adaptive(r0=0.3,alpha=0.4)}; {@code standard:p=adaptive(r0=0.3)} reads it
   * back.
   */
  default String text() {
    return RateSchedules.text(this);
  }

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
