package dev.dropwise.data;

import dev.dropwise.util.Bytes;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads MNIST-format IDX files of unsigned bytes, gzip-compressed or raw (detected from the first
 * two bytes). Layout: big-endian int32 magic (0x00000803 for images, 0x00000801 for labels), one
 * big-endian int32 per dimension, then the bytes. Anything that does not match is an {@link
 * DataFormatException} naming the file.
 */
public final class IdxReader {
  static final int IMAGES_MAGIC = 0x00000803;
  static final int LABELS_MAGIC = 0x00000801;

  private IdxReader() {}

  /** Images as {@code [count][rows * cols]} unsigned bytes, flattened row-major. */
  public static Images readImages(Path file) throws IOException {
    try (DataInputStream in = open(file)) {
      expectMagic(file, in, IMAGES_MAGIC, "images");
      int count = dimension(file, in, "image count");
      int rows = dimension(file, in, "row count");
      int cols = dimension(file, in, "column count");
      long size;
      try {
        size = Math.multiplyExact(Math.multiplyExact((long) count, rows), cols);
      } catch (ArithmeticException e) {
        throw new DataFormatException(
            file,
            "its header declares "
                + count
                + " images of "
                + rows
                + "x"
                + cols
                + ", more bytes than a file holds");
      }
      byte[] pixels = body(file, in, size);
      return new Images(count, rows, cols, pixels);
    } catch (ZipException | EOFException e) {
      throw damagedGzip(file, e);
    }
  }

  /** Labels as one unsigned byte each. */
  public static byte[] readLabels(Path file) throws IOException {
    try (DataInputStream in = open(file)) {
      expectMagic(file, in, LABELS_MAGIC, "labels");
      int count = dimension(file, in, "label count");
      return body(file, in, count);
    } catch (ZipException | EOFException e) {
      throw damagedGzip(file, e);
    }
  }

  /** The gzip layer itself failed: the compressed file is truncated or corrupt. */
  private static DataFormatException damagedGzip(Path file, IOException e) {
    return new DataFormatException(
        file,
        "the gzip data is truncated or corrupt ("
            + e.getMessage()
            + "); download or copy the file again");
  }

  /** Image bytes with their shape. */
  public record Images(int count, int rows, int cols, byte[] pixels) {
    /** Pixels of one image: {@code rows * cols}. */
    public int pixelsPerImage() {
      return rows * cols;
    }
  }

  private static DataInputStream open(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new DataFormatException(file, "no such file");
    }
    InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
    raw.mark(2);
    int b0 = raw.read();
    int b1 = raw.read();
    raw.reset();
    boolean gzip = b0 == 0x1f && b1 == 0x8b;
    return new DataInputStream(
        gzip ? new BufferedInputStream(new GZIPInputStream(raw), 1 << 16) : raw);
  }

  private static void expectMagic(Path file, DataInputStream in, int expected, String kind)
      throws IOException {
    int magic;
    try {
      magic = in.readInt();
    } catch (EOFException e) {
      throw new DataFormatException(
          file, "truncated: the file ends before its 4-byte magic number");
    }
    if (magic != expected) {
      throw new DataFormatException(
          file,
          String.format(
              "bad magic number 0x%08x; an IDX %s file starts with 0x%08x", magic, kind, expected));
    }
  }

  private static int dimension(Path file, DataInputStream in, String name) throws IOException {
    int value;
    try {
      value = in.readInt();
    } catch (EOFException e) {
      throw new DataFormatException(file, "truncated: the header ends before the " + name);
    }
    if (value < 0) {
      throw new DataFormatException(file, "negative " + name + " " + value + " in the header");
    }
    return value;
  }

  private static byte[] body(Path file, DataInputStream in, long expected) throws IOException {
    if (expected > Bytes.MAX_ARRAY_LENGTH) {
      throw new DataFormatException(
          file, "header declares " + expected + " bytes, more than one array holds");
    }
    // Read as far as the file goes: a short file with a large header costs its own size, not the
    // header's.
    byte[] data = in.readNBytes((int) expected);
    int read = data.length;
    if (read < expected) {
      throw new DataFormatException(
          file,
          "truncated: the header declares "
              + expected
              + " data bytes but only "
              + read
              + " follow");
    }
    if (in.read() != -1) {
      throw new DataFormatException(
          file, "sizes don't match: more than the " + expected + " data bytes the header declares");
    }
    return data;
  }
}
