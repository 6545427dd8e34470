package dev.dropwise.util;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How specs nest: a setting's value may be a spec of its own in parentheses ({@code
 * standard:p=adaptive(r0=0.3,alpha=0.4)}), so a list is split only at separators outside
 * parentheses. The one splitter of settings ({@code ,}) and of a schedule's parts ({@code +}), and
 * the one reader of a spec written as a value, {@code NAME(key=value,...)}.
 */
public final class Nesting {
  private Nesting() {}

  /**
   * {@code text} split at each {@code separator} outside parentheses; refuses unbalanced
   * parentheses, naming the column (1-based) and {@code where}.
   */
  public static List<String> split(String text, char separator, String where) {
    List<String> parts = new ArrayList<>();
    int depth = 0;
    int opened = -1;
    int start = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '(') {
        if (depth++ == 0) {
          opened = i;
        }
      } else if (c == ')') {
        if (depth-- == 0) {
          throw new IllegalArgumentException(
              "')' at column " + (i + 1) + " of '" + text + "' in " + where + " closes nothing");
        }
      } else if (c == separator && depth == 0) {
        parts.add(text.substring(start, i));
        start = i + 1;
      }
    }
    if (depth > 0) {
      throw new IllegalArgumentException(
          "'(' at column " + (opened + 1) + " of '" + text + "' in " + where + " is not closed");
    }
    parts.add(text.substring(start));
    return parts;
  }

  /** The index of the parenthesis that closes the one at {@code open} in {@code text}, or -1. */
  public static int closing(String text, int open) {
    int depth = 0;
    for (int i = open; i < text.length(); i++) {
      if (text.charAt(i) == '(') {
        depth++;
      } else if (text.charAt(i) == ')' && --depth == 0) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Reads {@code name} or {@code name(key=value,...)} with {@code registry}'s entries, the form of
   * a spec inside another ({@code adaptive(r0=0.3)} as a rate, {@code dense(units=256)} in a list
   * of layers): the entry made from the settings written. Every mistake names the text and {@code
   * where} it was written (null: the text is all there is).
   */
  public static <T> T parseNested(Registry<T> registry, String text, String where) {
    String kind = registry.kind();
    String trimmed = text.trim();
    split(trimmed, ',', where == null ? kind + " '" + trimmed + "'" : where); // balanced?
    int open = trimmed.indexOf('(');
    if (open >= 0) {
      int close = closing(trimmed, open);
      if (close >= 0 && close < trimmed.length() - 1) {
        throw new IllegalArgumentException(
            "'"
                + trimmed
                + "'"
                + (where == null ? "" : " in " + where)
                + " has '"
                + trimmed.substring(close + 1)
                + "' after its closing parenthesis; write NAME or NAME(key=value,...)");
      }
    }
    Matcher m = NESTED.matcher(trimmed);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "'"
              + text
              + "'"
              + (where == null ? "" : " in " + where)
              + " is not a "
              + kind
              + "; write NAME or NAME(key=value,...)");
    }
    String context = kind + " '" + trimmed + "'" + (where == null ? "" : " in " + where);
    Registry.Entry<T> entry =
        registry.require(m.group(1), where == null ? "'" + trimmed + "'" : where);
    Settings own = Settings.parse(m.group(2) == null ? "" : m.group(2), context);
    own.allowOnly(Registry.parameterNames(entry));
    try {
      return entry.create(own);
    } catch (IllegalArgumentException e) {
      // An entry's own check names the value; say where it was written.
      throw e.getMessage().contains(" in " + kind + " '")
          ? e
          : new IllegalArgumentException(e.getMessage() + " (in " + context + ")", e);
    }
  }

  private static final Pattern NESTED =
      Pattern.compile("([A-Za-z][A-Za-z0-9-]*)\\s*(?:\\((.*)\\))?", Pattern.DOTALL);
}
