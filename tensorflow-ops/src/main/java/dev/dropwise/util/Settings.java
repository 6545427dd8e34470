package dev.dropwise.util;

import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The {@code key=value} settings of one spec's text, read with their defaults and types; every
 * mistake names the setting, the value, the spec ({@code where}) and what is allowed.
 */
public final class Settings {
  private final String where;
  private final Map<String, String> values;

  private Settings(String where, Map<String, String> values) {
    this.where = where;
    this.values = values;
  }

  /**
   * Parses {@code key=value,key=value} (blank: no settings) in the order written, keys lower-cased,
   * each key at most once; {@code where} names the spec in messages, e.g. {@code "dropout spec
   * 'x'"}.
   */
  public static Settings parse(String list, String where) {
    return new Settings(where, keyValues(list, where));
  }

  private static Map<String, String> keyValues(String list, String where) {
    Map<String, String> settings = new LinkedHashMap<>();
    if (list.isBlank()) {
      return settings;
    }
    for (String pair : list.split(",", -1)) {
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

  public boolean containsKey(String key) {
    return values.containsKey(key);
  }

  /** The value as written, or null. */
  public String get(String key) {
    return values.get(key);
  }

  public String getOrDefault(String key, String fallback) {
    return values.getOrDefault(key, fallback);
  }

  public double number(String key, String fallback) {
    return parsed(key, fallback, Double::parseDouble, "a number");
  }

  public int integer(String key, String fallback) {
    return parsed(key, fallback, Integer::parseInt, "an integer");
  }

  private <T> T parsed(String key, String fallback, Function<String, T> parse, String kind) {
    String value = getOrDefault(key, fallback);
    try {
      return parse.apply(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + "=" + value + " in " + where + " is not " + kind);
    }
  }

  /** The value (lower-cased), which must be one of {@code allowed}. */
  public String choice(String key, String fallback, String... allowed) {
    String value = getOrDefault(key, fallback).toLowerCase(Locale.ROOT);
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
