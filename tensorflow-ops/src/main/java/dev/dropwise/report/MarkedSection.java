package dev.dropwise.report;

import dev.dropwise.util.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A part of a Markdown file between two marker lines (HTML comments, invisible when rendered), so
 * that one part of a report can be rewritten without the rest.
 *
 * @param begin the line the part starts with
 * @param end the line it ends with
 */
record MarkedSection(String begin, String end) {

  /**
   * {@code section} (its markers included) in place of the file's earlier one, or appended when it
   * has none; a file that does not exist yet starts with {@code title}. Written atomically.
   */
  void replaceIn(Path file, String section, String title) throws IOException {
    String text = Files.isRegularFile(file) ? Files.readString(file) : title;
    int from = text.indexOf(begin);
    int to = text.indexOf(end);
    String updated =
        from >= 0 && to > from
            ? text.substring(0, from) + section + text.substring(endOfLine(text, to))
            : text + (text.endsWith("\n\n") ? "" : "\n") + section;
    AtomicFiles.write(file, updated);
  }

  /** The section as it stands in {@code file}, its markers included, or empty. */
  String existingIn(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      return "";
    }
    String text = Files.readString(file);
    int from = text.indexOf(begin);
    int to = text.indexOf(end);
    return from >= 0 && to > from ? text.substring(from, endOfLine(text, to)) : "";
  }

  /** Where the line holding {@code at} ends, its newline included. */
  private static int endOfLine(String text, int at) {
    int newline = text.indexOf('\n', at);
    return newline < 0 ? text.length() : newline + 1;
  }
}
