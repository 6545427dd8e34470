package dev.dropwise.schedule;

import dev.dropwise.util.Registry;

/**
 * A kind of rate schedule as the text format knows it ({@code
 * scheduled:schedule=NAME,key=value,...}): registered in {@link RateSchedules} like a dropout
 * method, built-in or a user's own (listed in {@code
 * META-INF/services/dev.dropwise.schedule.ScheduleKind}, or registered from a notebook).
 */
public interface ScheduleKind extends Registry.Entry<RateSchedule> {}
