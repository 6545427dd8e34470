package dev.dropwise.cli;

import java.util.List;

/**
 * Lists of specs on the command line ({@code --methods}, {@code --architectures}): separated by
 * {@code ;}, except inside parentheses, where a spec's own parts may use it (an integrated
 * schedule's {@code of=adaptive(r0=0.3;alpha=0.4)+curriculum}).
 */
final class SpecLists {
  private SpecLists() {}

  /**
   * The separator as a regex for picocli's {@code split}: a {@code ;} that no {@code )} follows
   * before a {@code (} does, i.e. one outside parentheses.
   */
  static final String SEPARATOR = ";(?![^()]*\\))";

  /** {@code text} split at its separators. */
  static List<String> split(String text) {
    return List.of(text.split(SEPARATOR, -1));
  }
}
