package dev.dropwise.util;

import java.util.ArrayList;
import java.util.List;

/** A plain-text table with right-aligned columns, for console reports. */
public final class TextTable {
  private final List<String> header;
  private final List<List<String>> rows = new ArrayList<>();

  /** An empty table with these column headings. */
  public TextTable(String... header) {
    this.header = List.of(header);
  }

  /**
   * Adds a row of one cell per column, each written with {@code String.valueOf}; returns this
   * table.
   */
  public TextTable row(Object... cells) {
    if (cells.length != header.size()) {
      throw new IllegalArgumentException(
          "row has " + cells.length + " cells, table has " + header.size() + " columns");
    }
    List<String> row = new ArrayList<>();
    for (Object c : cells) {
      row.add(String.valueOf(c));
    }
    rows.add(row);
    return this;
  }

  @Override
  public String toString() {
    int[] widths = new int[header.size()];
    for (int i = 0; i < widths.length; i++) {
      widths[i] = header.get(i).length();
      for (List<String> r : rows) {
        widths[i] = Math.max(widths[i], r.get(i).length());
      }
    }
    StringBuilder out = new StringBuilder();
    line(out, header, widths);
    for (int i = 0; i < widths.length; i++) {
      out.append(i == 0 ? "" : "  ").append("-".repeat(widths[i]));
    }
    out.append('\n');
    for (List<String> r : rows) {
      line(out, r, widths);
    }
    return out.toString();
  }

  private static void line(StringBuilder out, List<String> cells, int[] widths) {
    for (int i = 0; i < widths.length; i++) {
      String c = cells.get(i);
      out.append(i == 0 ? "" : "  ").append(" ".repeat(widths[i] - c.length())).append(c);
    }
    out.append('\n');
  }
}
