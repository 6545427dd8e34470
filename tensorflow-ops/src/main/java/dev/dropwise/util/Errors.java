package dev.dropwise.util;

import java.util.ArrayList;
import java.util.List;

/** Failures in words for a person: messages only, no Java class names. */
public final class Errors {
  private Errors() {}

  /**
   * The message of {@code e} followed by the first lines of its causes' messages where they add
   * something ({@code "; because "} between them); a throwable without a message is described by
   * what it is.
   */
  public static String describe(Throwable e) {
    List<String> parts = new ArrayList<>(List.of(message(e)));
    for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
      String line = message(t).lines().findFirst().orElse("");
      if (parts.stream().noneMatch(p -> p.contains(line))) {
        parts.add(line);
      }
    }
    return String.join("; because ", parts);
  }

  private static String message(Throwable t) {
    String message = t.getMessage();
    if (message != null && !message.isBlank()) {
      return message.strip();
    }
    return switch (t.getClass().getSimpleName()) {
      case "OutOfMemoryError" -> "out of memory";
      case "NullPointerException" -> "an internal error (a missing value); run with --debug for the details";
      default -> "an internal error (" + t.getClass().getSimpleName() + "); run with --debug for the details";
    };
  }
}
