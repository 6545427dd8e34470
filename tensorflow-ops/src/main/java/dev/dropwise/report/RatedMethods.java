package dev.dropwise.report;

import java.util.List;

/**
 * A study's methods, {@code {rate}} standing for each training-set size's rate, and the one every
 * other is compared with.
 */
public interface RatedMethods {
  /** The methods as the plan writes them. */
  List<String> methods();

  /** The baseline as the plan writes it. */
  String baseline();

  /** The methods at {@code size}, its rate written in. */
  default List<String> methods(StudySize size) {
    return methods().stream().map(size::withRate).toList();
  }

  /** What every method at {@code size} is compared with: standard dropout at its rate. */
  default String baseline(StudySize size) {
    return size.withRate(baseline());
  }
}
