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
      String line = firstLine(t);
      if (parts.stream().noneMatch(p -> p.contains(line))) {
        parts.add(line);
      }
    }
    return String.join("; because ", parts);
  }

  /**
   * The first line of {@code e}'s message (a library's message may go on for lines), or what it is.
   */
  public static String firstLine(Throwable e) {
    return message(e).lines().findFirst().orElse("");
  }

  private static String message(Throwable t) {
    String message = t.getMessage();
    if (message != null && !message.isBlank()) {
      return message.strip();
    }
    return switch (t.getClass().getSimpleName()) {
      case "OutOfMemoryError" -> "out of memory";
      case "NullPointerException" ->
          "an internal error (a missing value); run with --debug for the details";
      default ->
          "an internal error ("
              + t.getClass().getSimpleName()
              + "); run with --debug for the details";
    };
  }
}
