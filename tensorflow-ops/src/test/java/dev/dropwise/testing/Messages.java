package dev.dropwise.testing;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a message for a person must not show: a qualified Java class name, an exception's name, a
 * stack frame.
 */
public final class Messages {
  private static final Pattern JAVA =
      Pattern.compile(
          "\\b(java|javax|jdk|sun|org|com|dev)\\.[a-z]+(\\.\\w+)*\\.[A-Z]\\w*"
              + "|Exception|\\bat [\\w.$]+\\([\\w.]+:\\d+\\)");

  private Messages() {}

  /** Whether {@code message} shows a Java class name, an exception's name or a stack frame. */
  public static boolean showsJava(String message) {
    return JAVA.matcher(message).find();
  }

  /**
   * Whether {@code message} shows one that {@code input}, which a message may quote, does not hold:
   * a table whose header says "aException" is named in its refusal as it is.
   */
  public static boolean showsJava(String message, String input) {
    Matcher m = JAVA.matcher(message);
    while (m.find()) {
      if (!input.contains(m.group())) {
        return true;
      }
    }
    return false;
  }
}
