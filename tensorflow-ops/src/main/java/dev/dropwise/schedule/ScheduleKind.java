package dev.dropwise.schedule;

import dev.dropwise.util.Registry;

/**
 * A kind of rate schedule as the text format knows it, a rate's value {@code NAME(key=value,...)}
 * ({@code standard:p=adaptive(r0=0.3)}): registered in {@link RateSchedules} like a dropout method,
 * built-in or a user's own (listed in {@code META-INF/services/dev.dropwise.schedule.ScheduleKind},
 * or registered from a notebook with {@link RateSchedules#register}).
 *
 * <p>To implement one: its name, summary and parameters (each default said there once), and {@link
 * #create}, which makes the {@link RateSchedule} from the settings bound to those parameters; or a
 * {@link Registry.Described} of those parts. The schedule reports the same settings by name.
 */
public interface ScheduleKind extends Registry.Entry<RateSchedule> {}
