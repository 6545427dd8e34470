package dev.dropwise.data;

import dev.dropwise.util.Errors;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
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
import org.apache.commons.csv.CSVRecord;

/**
 * A CSV file's text, decoded, and where its lines start: the line numbers of {@link CsvTable}'s
 * messages.
 */
final class CsvText {
  private final String text;
  private final int[] lineStarts;

  private CsvText(String text) {
    this.text = text;
    this.lineStarts = starts(text);
  }

  /** The decoded text. */
  String text() {
    return text;
  }

  /**
   * The file's text: gunzipped when it ends in {@code .gz}, decoded as UTF-8 (strictly: a byte that
   * is not UTF-8 is refused with its line), without a byte-order mark.
   */
  static CsvText read(Path file) throws IOException {
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
    return new CsvText(decoded.startsWith("\uFEFF") ? decoded.substring(1) : decoded);
  }

  /**
   * The line a record starts on, 1-based, as an editor shows it: its position may fall on the empty
   * lines before it, which the parser skips (a line of spaces is a record of its own).
   */
  int line(CSVRecord row) {
    int found = Arrays.binarySearch(lineStarts, (int) row.getCharacterPosition());
    int line = found >= 0 ? found : -found - 2;
    while (line + 1 < lineStarts.length
        && text.substring(lineStarts[line], lineStarts[line + 1]).replace("\r", "").equals("\n")) {
      line++;
    }
    return line + 1;
  }

  /** The character offsets at which lines start. */
  private static int[] starts(String text) {
    List<Integer> starts = new ArrayList<>(List.of(0));
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == '\n') {
        starts.add(i + 1);
      }
    }
    return starts.stream().mapToInt(Integer::intValue).toArray();
  }
}
