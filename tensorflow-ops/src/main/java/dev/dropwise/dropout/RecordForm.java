package dev.dropwise.dropout;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;

/**
 * The string form of a dropout record whose rate may be scheduled, as saved runs are keyed by it
 * ({@code SavedRuns.name}): the record's own form, less its {@code schedule} at a fixed rate and
 * less its {@code p} when a schedule sets the rate. Every run saved before a method took schedules
 * keeps its key ({@code StandardDropout[p=0.5]}, {@code SectorWiseDropout[n=8, p=0.5,
 * perBatch=false]}).
 */
final class RecordForm {
  private RecordForm() {}

  static String of(Record spec) {
    RecordComponent[] components = spec.getClass().getRecordComponents();
    boolean scheduled = value(spec, "schedule", components) != null;
    List<String> parts = new ArrayList<>();
    for (RecordComponent c : components) {
      String name = c.getName();
      if (name.equals(scheduled ? "p" : "schedule")) {
        continue;
      }
      parts.add(name + "=" + value(spec, name, components));
    }
    return spec.getClass().getSimpleName() + "[" + String.join(", ", parts) + "]";
  }

  private static Object value(Record spec, String name, RecordComponent[] components) {
    for (RecordComponent c : components) {
      if (c.getName().equals(name)) {
        try {
          return c.getAccessor().invoke(spec);
        } catch (IllegalAccessException | InvocationTargetException e) {
          throw new IllegalStateException("cannot read " + name + " of " + spec.getClass(), e);
        }
      }
    }
    return null;
  }
}
