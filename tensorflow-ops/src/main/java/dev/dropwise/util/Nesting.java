package dev.dropwise.util;

import java.util.ArrayList;
import java.util.List;

/**
 * How specs nest: a setting's value may be a spec of its own in parentheses ({@code
 * standard:p=adaptive(r0=0.3,alpha=0.4)}), so a list is split only at separators outside
 * parentheses. The one splitter of settings ({@code ,}) and of a schedule's parts ({@code +}).
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
}
