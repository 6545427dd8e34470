package dev.dropwise.util;

import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The {@code key=value} settings of one spec's text, read with their defaults and types; every
 * mistake names the setting, the value, the spec ({@code where}) and what is allowed.
 */
public final class Settings {
  private final String where;
  private final Map<String, String> values;
  private final Map<String, Registry.Parameter> parameters;

  private Settings(
      String where, Map<String, String> values, Map<String, Registry.Parameter> parameters) {
    this.where = where;
    this.values = values;
    this.parameters = parameters;
  }

  private Settings(String where, Map<String, String> values) {
    this(where, values, Map.of());
  }

  /**
   * These settings read against {@code declared}: a key not written takes its parameter's default
   * ({@link #text}, {@link #number}, {@link #integer}, {@link #oneOf}).
   */
  public Settings bind(List<Registry.Parameter> declared) {
    Map<String, Registry.Parameter> byName = new LinkedHashMap<>();
    declared.forEach(p -> byName.put(p.name(), p));
    return new Settings(where, values, byName);
  }

  /**
   * The value written for {@code key}, else its parameter's default here; null where the
   * parameter's rule says it does not apply.
   */
  public String text(String key) {
    String written = values.get(key);
    if (written != null) {
      return written;
    }
    Registry.Parameter p = parameters.get(key);
    if (p == null) {
      throw new IllegalStateException(
          "'"
              + key
              + "' is not a declared parameter of "
              + where
              + ": declare it with its default");
    }
    return p.defaultIn(this);
  }

  /** {@link #text} as a number: a finite decimal, {@code 0.5}, {@code -2}, {@code 1e-6}. */
  public double number(String key) {
    return parsed(key, applying(key), Settings::decimal, "a number");
  }

  /** {@link #text} as a whole number. */
  public int integer(String key) {
    return parsed(key, applying(key), Integer::parseInt, WHOLE);
  }

  private static final String WHOLE =
      "a whole number from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE;

  private static final Pattern DECIMAL =
      Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");

  /**
   * A decimal number as people write it; Java's other forms (NaN, Infinity, 0x1p-1, 0.5f) and an
   * overflow to infinity are not numbers here.
   */
  private static double decimal(String text) {
    double value = DECIMAL.matcher(text).matches() ? Double.parseDouble(text) : Double.NaN;
    if (!Double.isFinite(value)) {
      throw new NumberFormatException(text);
    }
    return value;
  }

  /** {@link #text} lower-cased, which must be one of {@code allowed}. */
  public String oneOf(String key, String... allowed) {
    return checkedChoice(key, applying(key), allowed);
  }

  /** {@link #text}, where a factory needs a value: a rule's "does not apply" is its mistake. */
  private String applying(String key) {
    String value = text(key);
    Registry.Parameter declared = parameters.get(key);
    if (value == null && declared != null && declared.isRequired()) {
      throw new IllegalArgumentException(
          key + " is required in " + where + " (" + declared.doc() + "); write " + key + "=...");
    }
    if (value == null) {
      throw new IllegalStateException(
          "'" + key + "' does not apply in " + where + " (its parameter's rule gives no default)");
    }
    return value;
  }

  /**
   * Parses {@code key=value,key=value} (blank: no settings) in the order written, keys lower-cased,
   * each key at most once, a value with commas of its own in parentheses ({@link Nesting}); {@code
   * where} names the spec in messages, e.g. {@code "dropout spec 'x'"}.
   */
  public static Settings parse(String list, String where) {
    return new Settings(where, keyValues(list, where));
  }

  private static Map<String, String> keyValues(String list, String where) {
    Map<String, String> settings = new LinkedHashMap<>();
    if (list.isBlank()) {
      return settings;
    }
    for (String pair : Nesting.split(list, ',', where)) {
      int eq = pair.indexOf('=');
      if (eq <= 0 || eq == pair.length() - 1) {
        throw new IllegalArgumentException("'" + pair + "' in " + where + " is not key=value");
      }
      String key = pair.substring(0, eq).trim().toLowerCase(Locale.ROOT);
      String value = pair.substring(eq + 1).trim();
      String earlier = settings.put(key, value);
      if (earlier != null) {
        throw new IllegalArgumentException(
            key
                + " is given twice in "
                + where
                + " ("
                + key
                + "="
                + earlier
                + " and "
                + key
                + "="
                + value
                + "); give each setting once");
      }
    }
    return settings;
  }

  /** Settings given as a map (already parsed), for the same reads and messages. */
  public static Settings of(Map<String, String> values, String where) {
    return new Settings(where, values);
  }

  /** The settings as written, by key in the order written. */
  public Map<String, String> written() {
    return Collections.unmodifiableMap(values);
  }

  /** Refuses any key outside {@code allowed}. */
  public void allowOnly(Collection<String> allowed) {
    for (String key : values.keySet()) {
      if (!allowed.contains(key)) {
        throw new IllegalArgumentException(
            "unknown parameter '"
                + key
                + "' in "
                + where
                + "; allowed: "
                + (allowed.isEmpty() ? "none" : String.join(", ", new TreeSet<>(allowed))));
      }
    }
  }

  /** Whether {@code key} is written. */
  public boolean containsKey(String key) {
    return values.containsKey(key);
  }

  /** The value as written, or null. */
  public String get(String key) {
    return values.get(key);
  }

  /** The value as written, or {@code fallback}. */
  public String getOrDefault(String key, String fallback) {
    return values.getOrDefault(key, fallback);
  }

  /** The value as a number, or {@code fallback} where none is written (for undeclared keys). */
  public double number(String key, String fallback) {
    return parsed(key, getOrDefault(key, fallback), Settings::decimal, "a number");
  }

  /** The value as an integer, or {@code fallback} where none is written (for undeclared keys). */
  public int integer(String key, String fallback) {
    return parsed(key, getOrDefault(key, fallback), Integer::parseInt, WHOLE);
  }

  private <T> T parsed(String key, String value, Function<String, T> parse, String kind) {
    try {
      return parse.apply(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + "=" + value + " in " + where + " is not " + kind);
    }
  }

  /** The value (lower-cased), which must be one of {@code allowed}. */
  public String choice(String key, String fallback, String... allowed) {
    return checkedChoice(key, getOrDefault(key, fallback), allowed);
  }

  private String checkedChoice(String key, String written, String... allowed) {
    String value = written.toLowerCase(Locale.ROOT);
    if (!Arrays.asList(allowed).contains(value)) {
      throw new IllegalArgumentException(
          key
              + "="
              + value
              + " in "
              + where
              + " is not allowed; use "
              + String.join(" or ", allowed));
    }
    return value;
  }

  /** The spec these settings belong to, as messages name it. */
  public String where() {
    return where;
  }
}
