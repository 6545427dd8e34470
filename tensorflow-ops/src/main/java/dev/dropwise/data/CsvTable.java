package dev.dropwise.data;

import dev.dropwise.util.Errors;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
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
  private String text;
  private int[] lineStarts;

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
    text = readText();
    lineStarts = lineStarts(text);
    List<CSVRecord> rows = new ArrayList<>();
    try (Reader in = new StringReader(text);
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
              + line(data.get(0))
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
                + line(row)
                + " has "
                + row.size()
                + " columns, expected "
                + columns
                + " (as on line "
                + line(data.get(0))
                + ")");
      }
      int f = 0;
      for (int c = 0; c < columns; c++) {
        String cell = row.get(c);
        if (c == labelColumn) {
          if (cell.isEmpty()) {
            throw new DataFormatException(
                file, "line " + line(row) + ", column " + (c + 1) + ": the label is empty");
          }
          labels.add(cell, "line " + line(row));
          continue;
        }
        float v;
        try {
          v = Float.parseFloat(cell);
        } catch (NumberFormatException e) {
          throw new DataFormatException(
              file,
              "line "
                  + line(row)
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
                  + line(row)
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

  /**
   * The line a record starts on, 1-based, as an editor shows it: its position may fall on the empty
   * lines before it, which the parser skips (a line of spaces is a record of its own).
   */
  private int line(CSVRecord row) {
    int found = Arrays.binarySearch(lineStarts, (int) row.getCharacterPosition());
    int line = found >= 0 ? found : -found - 2;
    while (line + 1 < lineStarts.length
        && text.substring(lineStarts[line], lineStarts[line + 1]).replace("\r", "").equals("\n")) {
      line++;
    }
    return line + 1;
  }

  /**
   * The file's text: gunzipped when it ends in {@code .gz}, decoded as UTF-8 (strictly: a byte that
   * is not UTF-8 is refused with its line), without a byte-order mark.
   */
  private String readText() throws IOException {
    byte[] bytes;
    if (file.toString().endsWith(".gz")) {
      try (InputStream raw = Files.newInputStream(file);
          InputStream in = new GZIPInputStream(raw)) {
        bytes = in.readAllBytes();
      } catch (ZipException | EOFException e) {
        throw new DataFormatException(
            file,
            "is not a complete gzip file ("
                + (e instanceof EOFException ? "it ends too early" : Errors.firstLine(e))
                + "); a name ending in .gz means gzip-compressed CSV");
      }
    } else {
      bytes = Files.readAllBytes(file);
    }
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    CoderResult result =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(in, out, true);
    if (result.isError()) {
      int line = 1;
      for (int i = 0; i < in.position(); i++) {
        line += bytes[i] == '\n' ? 1 : 0;
      }
      throw new DataFormatException(
          file,
          String.format(
              Locale.ROOT,
              "is not UTF-8 text: line %d holds the byte 0x%02x, "
                  + "which UTF-8 does not allow there (a file saved as Latin-1 or Windows-1252?); save it as UTF-8",
              line,
              bytes[in.position()] & 0xff));
    }
    String decoded = out.flip().toString();
    return decoded.startsWith("\uFEFF") ? decoded.substring(1) : decoded;
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

  /** The character offsets at which lines start. */
  private static int[] lineStarts(String text) {
    List<Integer> starts = new ArrayList<>(List.of(0));
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == '\n') {
        starts.add(i + 1);
      }
    }
    return starts.stream().mapToInt(Integer::intValue).toArray();
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
