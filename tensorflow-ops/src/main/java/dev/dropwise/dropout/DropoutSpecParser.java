package dev.dropwise.dropout;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Reads dropout specs written {@code method[:key=value,...]}:
 *
 * <pre>
 *   none
 *   standard:p=0.5            (aliases: dropout, bernoulli)
 *   sector:n=8,p=0.5          (aliases: sector-wise, sectorwise; mode=example|batch)
 * </pre>
 *
 * Every mistake is reported with the offending text and what is allowed.
 */
public final class DropoutSpecParser {
  private DropoutSpecParser() {}

  public static DropoutSpec parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("dropout spec is empty; allowed: none, standard:p=P, sector:n=N,p=P");
    }
    String trimmed = text.trim();
    int colon = trimmed.indexOf(':');
    String method = (colon < 0 ? trimmed : trimmed.substring(0, colon)).toLowerCase(java.util.Locale.ROOT);
    Map<String, String> args = arguments(trimmed, colon < 0 ? "" : trimmed.substring(colon + 1));
    switch (method) {
      case "none" -> {
        allowOnly(trimmed, args, Set.of());
        return new NoDropout();
      }
      case "standard", "dropout", "bernoulli" -> {
        allowOnly(trimmed, args, Set.of("p"));
        return new StandardDropout(number(trimmed, args, "p", "0.5"));
      }
      case "sector", "sector-wise", "sectorwise" -> {
        allowOnly(trimmed, args, Set.of("n", "p", "mode"));
        String mode = args.getOrDefault("mode", "example");
        if (!mode.equals("example") && !mode.equals("batch")) {
          throw new IllegalArgumentException(
              "mode=" + mode + " in dropout spec '" + trimmed + "' is not allowed: use mode=example or mode=batch");
        }
        return new SectorWiseDropout(
            integer(trimmed, args, "n", "8"), number(trimmed, args, "p", "0.5"), mode.equals("batch"));
      }
      default -> throw new IllegalArgumentException(
          "unknown dropout method '" + method + "' in '" + trimmed + "'; allowed: none, standard, sector");
    }
  }

  private static Map<String, String> arguments(String spec, String list) {
    Map<String, String> args = new LinkedHashMap<>();
    if (list.isBlank()) {
      return args;
    }
    for (String pair : list.split(",")) {
      int eq = pair.indexOf('=');
      if (eq <= 0 || eq == pair.length() - 1) {
        throw new IllegalArgumentException(
            "'" + pair + "' in dropout spec '" + spec + "' is not key=value");
      }
      args.put(pair.substring(0, eq).trim().toLowerCase(java.util.Locale.ROOT), pair.substring(eq + 1).trim());
    }
    return args;
  }

  private static void allowOnly(String spec, Map<String, String> args, Set<String> allowed) {
    for (String key : args.keySet()) {
      if (!allowed.contains(key)) {
        throw new IllegalArgumentException(
            "unknown parameter '" + key + "' in dropout spec '" + spec + "'; allowed: "
                + (allowed.isEmpty() ? "none" : String.join(", ", new java.util.TreeSet<>(allowed))));
      }
    }
  }

  private static double number(String spec, Map<String, String> args, String key, String fallback) {
    String value = args.getOrDefault(key, fallback);
    try {
      return Double.parseDouble(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          key + "=" + value + " in dropout spec '" + spec + "' is not a number");
    }
  }

  private static int integer(String spec, Map<String, String> args, String key, String fallback) {
    String value = args.getOrDefault(key, fallback);
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          key + "=" + value + " in dropout spec '" + spec + "' is not an integer");
    }
  }
}
