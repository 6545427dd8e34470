package dev.dropwise.dropout;

import dev.dropwise.schedule.RateSchedule;
import dev.dropwise.schedule.RateSchedules;
import dev.dropwise.util.Registry;
import dev.dropwise.util.Registry.Parameter;
import dev.dropwise.util.Settings;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code scheduled:schedule=NAME,...}: its settings are those of every registered schedule, read
 * when asked.
 */
final class ScheduledMethod implements DropoutMethod {
  @Override
  public String name() {
    return "scheduled";
  }

  @Override
  public String summary() {
    return "the older spelling of standard:p=NAME(key=value,...): standard dropout at the rate a schedule sets for every epoch";
  }

  @Override
  public List<Parameter> parameters() {
    Map<String, Parameter> all = new LinkedHashMap<>();
    all.put(
        "schedule",
        new Parameter(
            "schedule",
            "adaptive",
            String.join(", ", RateSchedules.all().stream().map(k -> k.name()).toList())));
    Map<String, List<String>> takenBy = new LinkedHashMap<>();
    for (Registry.Entry<RateSchedule> kind : RateSchedules.all()) {
      for (Parameter setting : kind.parameters()) {
        takenBy.computeIfAbsent(setting.name(), k -> new ArrayList<>()).add(kind.name());
      }
    }
    for (Registry.Entry<RateSchedule> kind : RateSchedules.all()) {
      for (Parameter setting : kind.parameters()) {
        // Shown with the first schedule's default; read with the chosen schedule's (none where
        // the chosen one does not take it).
        all.putIfAbsent(
            setting.name(),
            new Parameter(
                setting.name(),
                setting.defaultValue(),
                String.join(", ", takenBy.get(setting.name())) + ": " + setting.doc(),
                s -> RateSchedules.defaultOf(s.text("schedule"), setting.name(), s)));
      }
    }
    return List.copyOf(all.values());
  }

  @Override
  public DropoutSpec create(Settings written) {
    Settings s = written.bind(parameters());
    String schedule = s.text("schedule");
    if (schedule.contains("(")) {
      // The value form inside the alias: scheduled:schedule=adaptive(r0=0.3).
      s.allowOnly(List.of("schedule"));
      return new StandardDropout(
          RateSchedules.parse(schedule, "schedule=" + schedule + " in " + s.where()));
    }
    Set<String> keys = new HashSet<>(RateSchedules.keys(schedule));
    keys.add("schedule");
    s.allowOnly(keys);
    return new StandardDropout(RateSchedules.parse(schedule, s));
  }
}
