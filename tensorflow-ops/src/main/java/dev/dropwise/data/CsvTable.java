package dev.dropwise.data;

import dev.dropwise.util.Errors;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * {@code csv:PATH} (gzip-compressed if it ends in {@code .gz}): numeric feature columns and one
 * label column. Parsing (quotes, separators, line endings) is Apache Commons CSV's; this class
 * checks what a classifier needs and says where a row goes wrong.
 *
 * <p>Settings: the label column's name or 0-based index (null: the last column); whether the first
 * row is a header (null: detected — a first row with text where the next row has a number is a
 * header, as in scikit-learn's files whose first row holds counts and class names); the field
 * separator.
 */
public final class CsvTable {
  private final Path file;
  private final String label;
  private final Boolean header;
  private final char separator;
  private CsvText text;

  /**
   * The table in {@code file}: the label column's name or 0-based index (null: the last column),
   * whether the first row is a header (null: detected), and the field separator.
   */
  public CsvTable(Path file, String label, Boolean header, char separator) {
    this.file = file;
    this.label = label;
    this.header = header;
    this.separator = separator;
  }

  /** Reads the file; {@code known}: the classes to look labels up in (else null). */
  public LabelledExamples read(KnownClasses known) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new DataFormatException(file, "no such file");
    }
    text = CsvText.read(file);
    List<CSVRecord> rows = new ArrayList<>();
    try (Reader in = new StringReader(text.text());
        CSVParser parser =
            CSVFormat.DEFAULT
                .builder()
                .setDelimiter(separator)
                .setIgnoreEmptyLines(true)
                .setTrim(true)
                .get()
                .parse(in)) {
      for (CSVRecord r : parser) {
        rows.add(r);
      }
    } catch (UncheckedIOException | IllegalStateException e) {
      throw new DataFormatException(file, "not readable as CSV: " + parserProblem(e));
    }
    if (rows.isEmpty()) {
      throw new DataFormatException(file, "holds no rows");
    }
    boolean hasHeader = header != null ? header : detectHeader(rows);
    // One row with text in two cells or more is a header (a data row has text in its label at
    // most).
    if (header == null
        && rows.size() == 1
        && rows.get(0).stream().filter(c -> !isNumber(c)).count() >= 2) {
      throw new DataFormatException(
          file,
          "holds one line, a header ("
              + String.join(",", rows.get(0).toList())
              + "), and no data rows");
    }
    List<String> names = hasHeader ? rows.get(0).toList() : List.of();
    List<CSVRecord> data = hasHeader ? rows.subList(1, rows.size()) : rows;
    if (data.isEmpty()) {
      throw new DataFormatException(file, "holds a header but no data rows");
    }
    int columns = data.get(0).size();
    if (columns < 2) {
      throw new DataFormatException(
          file,
          "line "
              + text.line(data.get(0))
              + " has "
              + columns
              + " column; a table needs at least one feature column and a label column");
    }
    int labelColumn = labelColumn(names, columns);
    int features = columns - 1;
    float[] x = new float[data.size() * features];
    LabelledExamples.LabelCoder labels = new LabelledExamples.LabelCoder(file, known);
    for (int i = 0; i < data.size(); i++) {
      CSVRecord row = data.get(i);
      if (row.size() != columns) {
        throw new DataFormatException(
            file,
            "line "
                + text.line(row)
                + " has "
                + row.size()
                + " columns, expected "
                + columns
                + " (as on line "
                + text.line(data.get(0))
                + ")");
      }
      int f = 0;
      for (int c = 0; c < columns; c++) {
        String cell = row.get(c);
        if (c == labelColumn) {
          if (cell.isEmpty()) {
            throw new DataFormatException(
                file, "line " + text.line(row) + ", column " + (c + 1) + ": the label is empty");
          }
          labels.add(cell, "line " + text.line(row));
          continue;
        }
        float v;
        try {
          v = Float.parseFloat(cell);
        } catch (NumberFormatException e) {
          throw new DataFormatException(
              file,
              "line "
                  + text.line(row)
                  + ", column "
                  + (c + 1)
                  + " ('"
                  + columnName(names, c)
                  + "'): '"
                  + cell
                  + "' is not a number");
        }
        if (!Float.isFinite(v)) {
          throw new DataFormatException(
              file,
              "line "
                  + text.line(row)
                  + ", column "
                  + (c + 1)
                  + " ('"
                  + columnName(names, c)
                  + "'): "
                  + cell
                  + " is not a finite number");
        }
        x[i * features + f++] = v;
      }
    }
    List<String> classes = labels.names();
    LabelledExamples.checkClasses(file, classes);
    Dataset examples = new Dataset(x, labels.indices(), features, classes.size());
    return new LabelledExamples(
        examples,
        classes,
        List.of(features),
        false,
        file
            + " ("
            + data.size()
            + " rows, "
            + features
            + " features, "
            + classes.size()
            + " classes)");
  }

  private int labelColumn(List<String> names, int columns) throws DataFormatException {
    if (label == null) {
      return columns - 1;
    }
    if (label.matches("\\d+")) {
      int index = Integer.parseInt(label);
      if (index >= columns) {
        throw new DataFormatException(
            file,
            "label="
                + label
                + ": there is no column "
                + index
                + "; its "
                + columns
                + " columns are numbered 0 to "
                + (columns - 1));
      }
      return index;
    }
    int index = names.size() == columns ? names.indexOf(label) : -1;
    if (index >= 0 && names.lastIndexOf(label) != index) {
      throw new DataFormatException(
          file,
          "label="
              + label
              + ": "
              + names.stream().filter(label::equals).count()
              + " columns have that name (columns "
              + index
              + " and "
              + names.lastIndexOf(label)
              + ", 0-based); give the label column's index");
    }
    if (index < 0) {
      throw new DataFormatException(
          file,
          "label="
              + label
              + ": no column has that name"
              + (names.size() == columns
                  ? "; the columns are " + names
                  : "; the file has no header naming its "
                      + columns
                      + " columns (give the label column's 0-based index)"));
    }
    return index;
  }

  private static String columnName(List<String> names, int column) {
    return column < names.size() ? names.get(column) : "column " + (column + 1);
  }

  /** What went wrong in the parser, in its words without the exception's class. */
  private static String parserProblem(RuntimeException e) {
    String message = Errors.firstLine(e.getCause() != null ? e.getCause() : e);
    if (message.contains("EOF reached before encapsulated token finished")) {
      java.util.regex.Matcher line =
          java.util.regex.Pattern.compile("startline (\\d+)").matcher(message);
      return "a quoted field "
          + (line.find() ? "opened on line " + line.group(1) + " " : "")
          + "is never closed";
    }
    return message.replaceAll("(\\w+\\.)+\\w*(Exception|Error):?\\s*", "");
  }

  /**
   * A first row is a header when one of its cells is text where the next row holds a number: the
   * label column, text in every row, says nothing either way.
   */
  private static boolean detectHeader(List<CSVRecord> rows) {
    if (rows.size() < 2) {
      return false;
    }
    CSVRecord first = rows.get(0);
    CSVRecord second = rows.get(1);
    for (int c = 0; c < Math.min(first.size(), second.size()); c++) {
      if (!isNumber(first.get(c)) && isNumber(second.get(c))) {
        return true;
      }
    }
    return false;
  }

  private static boolean isNumber(String cell) {
    try {
      Float.parseFloat(cell);
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
