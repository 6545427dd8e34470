package dev.dropwise.util;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * The one printer of a registered thing's canonical text: its entry's name, then, in the entry's
 * parameter order, each setting whose value differs from its default there and each the entry
 * always writes; a setting whose rule says it does not apply there is left out. {@code standard},
 * {@code lrp:p=0.35,select=top}: the text parses back to the same thing, and two things that differ
 * are written differently.
 */
public final class CanonicalText {
  private CanonicalText() {}

  /**
   * The text of the thing {@code entry} makes from {@code values}: its settings by parameter name,
   * a missing one at its default. A value is a number, an enum constant (written in lower case,
   * {@code _} as {@code -}) or text.
   */
  public static String of(Registry.Entry<?> entry, Map<String, ?> values) {
    Map<String, String> written = written(entry, values);
    List<String> parts = new ArrayList<>();
    written.forEach((key, value) -> parts.add(key + "=" + value));
    return parts.isEmpty() ? entry.name() : entry.name() + ":" + String.join(",", parts);
  }

  /**
   * The text as a setting's value: the name, then in parentheses the settings {@link #of} writes,
   * {@code adaptive(r0=0.3,alpha=0.4)}; the name alone where none is written.
   */
  public static String nested(Registry.Entry<?> entry, Map<String, ?> values) {
    List<String> parts = new ArrayList<>();
    written(entry, values).forEach((key, value) -> parts.add(key + "=" + value));
    return parts.isEmpty() ? entry.name() : entry.name() + "(" + String.join(",", parts) + ")";
  }

  /**
   * The settings {@link #of} writes, in order: those not at their default, and those always
   * written.
   */
  public static Map<String, String> written(Registry.Entry<?> entry, Map<String, ?> values) {
    Map<String, String> given = new LinkedHashMap<>();
    values.forEach((key, value) -> given.put(key, value(value)));
    TreeSet<String> undeclared = new TreeSet<>(given.keySet());
    undeclared.removeAll(Registry.parameterNames(entry));
    if (!undeclared.isEmpty()) {
      throw new IllegalStateException(
          entry.name() + " has no parameters " + undeclared + ": its settings() and parameters()");
    }
    Settings context = Settings.of(given, entry.name()).bind(entry.parameters());
    Map<String, String> written = new LinkedHashMap<>();
    for (Registry.Parameter p : entry.parameters()) {
      String value = given.get(p.name());
      if (p.isRequired()) {
        written.put(p.name(), value);
        continue;
      }
      String byDefault = p.defaultIn(context);
      if (byDefault == null) {
        continue; // not applying here
      }
      if (value == null) {
        value = byDefault;
      }
      if (p.alwaysWritten() || !same(value, byDefault)) {
        written.put(p.name(), value);
      }
    }
    return written;
  }

  /**
   * A value as the text writes it: a number in its shortest decimal form ({@code 0.5}, {@code 8},
   * {@code 1E-30} where the plain form would be long), an enum constant in lower case.
   */
  public static String value(Object value) {
    if (value instanceof Float f) {
      return number(new BigDecimal(Float.toString(f)));
    }
    if (value instanceof Double d) {
      return number(BigDecimal.valueOf(d));
    }
    if (value instanceof Integer || value instanceof Long) {
      return value.toString();
    }
    if (value instanceof Enum<?> e) {
      return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
    return value.toString();
  }

  private static String number(BigDecimal value) {
    BigDecimal stripped = value.stripTrailingZeros();
    String plain = stripped.toPlainString();
    return plain.length() <= 10 ? plain : stripped.toString();
  }

  /** Whether two written values mean the same: equal numbers, or the same text ignoring case. */
  static boolean same(String a, String b) {
    try {
      return new BigDecimal(a).compareTo(new BigDecimal(b)) == 0;
    } catch (NumberFormatException notNumbers) {
      return a.equalsIgnoreCase(b);
    }
  }
}
