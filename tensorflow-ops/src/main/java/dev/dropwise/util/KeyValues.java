package dev.dropwise.util;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The settings of a spec's text form: {@code key=value,key=value}, keys lower-cased, each key at most once. */
public final class KeyValues {
  private KeyValues() {}

  /**
   * Parses {@code list} (blank: no settings) in the order written; {@code where} names the spec
   * in messages, e.g. {@code "dropout spec 'standard:p=0.5'"}.
   */
  public static Map<String, String> parse(String list, String where) {
    Map<String, String> settings = new LinkedHashMap<>();
    if (list.isBlank()) {
      return settings;
    }
    for (String pair : list.split(",")) {
      int eq = pair.indexOf('=');
      if (eq <= 0 || eq == pair.length() - 1) {
        throw new IllegalArgumentException("'" + pair + "' in " + where + " is not key=value");
      }
      String key = pair.substring(0, eq).trim().toLowerCase(Locale.ROOT);
      String value = pair.substring(eq + 1).trim();
      String earlier = settings.put(key, value);
      if (earlier != null) {
        throw new IllegalArgumentException(key + " is given twice in " + where + " (" + key + "=" + earlier + " and "
            + key + "=" + value + "); give each setting once");
      }
    }
    return settings;
  }
}
