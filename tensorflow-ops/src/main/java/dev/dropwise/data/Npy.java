package dev.dropwise.data;

import dev.dropwise.util.AtomicFiles;
import dev.dropwise.util.Bytes;
import dev.dropwise.util.OutputFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NumPy {@code .npy}: writes little-endian float32 arrays in C order (format 1.0), and reads what
 * NumPy writes for numeric arrays. Written by hand because the format is a short header and the raw
 * values, and the one JVM library for it (org.jetbrains.bio:npy) is unmaintained since 2019.
 */
public final class Npy {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0};
  private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

  /**
   * The mark of a file dropwise wrote ({@link #OWN}): its header is padded with two more 64-byte
   * blocks of spaces than alignment needs. Every reader takes it (the header is the dict, then
   * white space), and NumPy itself never pads that far: at most 63 spaces to align the data and 20
   * it leaves for the shape to grow.
   */
  private static final int MARK = 128;

  /** A {@code .npy} file that dropwise wrote, which it may replace. */
  public static final OutputFiles.Kind OWN =
      new OutputFiles.Kind(
          "a .npy file that dropwise wrote, its header padded "
              + "by "
              + MARK
              + " spaces more than NumPy pads",
          file -> {
            try (InputStream in = Files.newInputStream(file)) {
              // A version 1.0 header (what dropwise writes) is at most 65,535 bytes after 10 bytes
              // of preamble.
              ByteBuffer start =
                  ByteBuffer.wrap(in.readNBytes(10 + 65_535)).order(ByteOrder.LITTLE_ENDIAN);
              String header = rawHeaderText(file, start);
              return header.length() - header.stripTrailing().length() > MARK;
            } catch (IOException e) {
              return false;
            }
          });

  private Npy() {}

  /** A float32 array with its shape. */
  public record Array(float[] data, long[] shape) {}

  /**
   * Writes {@code data} to {@code file}, atomically, as a float32 array of {@code shape} (format
   * 1.0, C order, its header marked as {@link #OWN}); refused when the shape does not hold {@code
   * data.length} values.
   */
  public static void write(Path file, float[] data, long... shape) throws IOException {
    long count = Arrays.stream(shape).reduce(1, Math::multiplyExact);
    if (count != data.length) {
      throw new IllegalArgumentException(
          "shape "
              + Arrays.toString(shape)
              + " holds "
              + count
              + " values, data has "
              + data.length);
    }
    StringBuilder dims = new StringBuilder();
    for (long d : shape) {
      dims.append(d).append(", ");
    }
    String shapeText =
        shape.length == 1
            ? dims.toString().trim()
            : dims.substring(0, Math.max(0, dims.length() - 2));
    String header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + shapeText + "), }";
    int unpadded = MAGIC.length + 2 + header.length() + 1;
    header = header + " ".repeat((64 - unpadded % 64) % 64 + MARK) + "\n";
    ByteBuffer buffer =
        ByteBuffer.allocate(MAGIC.length + 2 + header.length() + 4 * data.length)
            .order(ByteOrder.LITTLE_ENDIAN);
    buffer
        .put(MAGIC)
        .putShort((short) header.length())
        .put(header.getBytes(StandardCharsets.US_ASCII));
    buffer.asFloatBuffer().put(data);
    AtomicFiles.write(file, buffer.array());
  }

  /**
   * Reads an array by the format's own rules: versions 1.0 to 3.0, the header dict's {@code descr}
   * (float32, float64, and 1-, 2-, 4- and 8-byte integers, signed or not, either byte order),
   * {@code fortran_order} (read back into C order) and {@code shape}. Values come back as floats;
   * an integer that a float cannot hold exactly is refused by {@link #readLabels}.
   */
  public static Array read(Path file) throws IOException {
    Header h = header(file);
    int count = h.count(file);
    float[] data = new float[count];
    ByteBuffer values = h.values();
    for (int i = 0; i < count; i++) {
      data[i] = (float) h.type().read(values);
    }
    return new Array(h.fortranOrder() ? toCOrder(data, h.shape()) : data, h.shape());
  }

  /** Whether {@code file}'s values are 8-bit unsigned integers (pixels, to be divided by 255). */
  public static boolean isUint8(Path file) throws IOException {
    return header(file).type() == Type.U1;
  }

  /**
   * A one-dimensional array of integer labels, as decimal texts (an unsigned 64-bit label of 2^63
   * or more keeps its value): an integer dtype is required.
   */
  public static String[] readLabels(Path file) throws IOException {
    Header h = header(file);
    if (!h.type().integer()) {
      throw new DataFormatException(
          file, "labels must be integers, but its dtype is '" + h.descr() + "'");
    }
    if (h.shape().length != 1) {
      throw new DataFormatException(
          file,
          "labels must be one-dimensional [N], but its shape is " + Arrays.toString(h.shape()));
    }
    int count = h.count(file);
    String[] labels = new String[count];
    ByteBuffer values = h.values();
    for (int i = 0; i < count; i++) {
      labels[i] = h.type().text(values);
    }
    return labels;
  }

  /** The element types this reader takes, by the dtype's kind and size. */
  private enum Type {
    F4("f", 4),
    F8("f", 8),
    U1("u", 1),
    I1("i", 1),
    U2("u", 2),
    I2("i", 2),
    U4("u", 4),
    I4("i", 4),
    U8("u", 8),
    I8("i", 8);

    final String kind;
    final int size;

    Type(String kind, int size) {
      this.kind = kind;
      this.size = size;
    }

    boolean integer() {
      return !kind.equals("f");
    }

    double read(ByteBuffer b) {
      return switch (this) {
        case F4 -> b.getFloat();
        case F8 -> b.getDouble();
        case U1 -> Byte.toUnsignedInt(b.get());
        case I1 -> b.get();
        case U2 -> Short.toUnsignedInt(b.getShort());
        case I2 -> b.getShort();
        case U4 -> Integer.toUnsignedLong(b.getInt());
        case I4 -> b.getInt();
        case U8 -> unsigned(b.getLong());
        case I8 -> b.getLong();
      };
    }

    /** An integer value in decimal, read whole (a double holds 64-bit integers only up to 2^53). */
    String text(ByteBuffer b) {
      return switch (this) {
        case U8 -> Long.toUnsignedString(b.getLong());
        case I8 -> Long.toString(b.getLong());
        default -> Long.toString((long) read(b));
      };
    }

    private static double unsigned(long value) {
      return value >= 0 ? value : (value >>> 1) * 2.0 + (value & 1);
    }
  }

  private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([<>|=])([a-z])(\\d+)'");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order':\\s*(True|False)");

  private record Header(
      Type type, String descr, boolean fortranOrder, long[] shape, ByteBuffer values) {
    int count(Path file) throws DataFormatException {
      long n = 1;
      for (long d : shape) {
        n = d == 0 || n <= Long.MAX_VALUE / d ? n * d : Long.MAX_VALUE;
      }
      if (n > Bytes.MAX_ARRAY_LENGTH) {
        throw new DataFormatException(
            file,
            "its shape "
                + Arrays.toString(shape)
                + " holds more values than one Java "
                + "array can ("
                + Bytes.MAX_ARRAY_LENGTH
                + ")");
      }
      if (values.remaining() < n * type.size) {
        throw new DataFormatException(
            file,
            "its shape "
                + Arrays.toString(shape)
                + " needs "
                + n * type.size
                + " bytes of data but the file has "
                + values.remaining());
      }
      return (int) n;
    }
  }

  /**
   * The header's text, {@code buffer} (the file from its first byte) left at the first byte of
   * data.
   */
  private static String headerText(Path file, ByteBuffer buffer) throws IOException {
    return rawHeaderText(file, buffer).trim();
  }

  /** {@link #headerText} with its padding. */
  private static String rawHeaderText(Path file, ByteBuffer buffer) throws IOException {
    if (buffer.remaining() < 10
        || buffer.get(0) != MAGIC[0]
        || buffer.get(1) != 'N'
        || buffer.get(5) != 'Y') {
      throw new DataFormatException(file, "not a .npy file (no \\x93NUMPY magic)");
    }
    int major = buffer.get(6);
    buffer.position(8);
    if (buffer.remaining() < (major == 1 ? 2 : 4)) {
      throw new DataFormatException(file, "the file ends inside its header");
    }
    int length =
        switch (major) {
          case 1 -> Short.toUnsignedInt(buffer.getShort());
          case 2, 3 -> buffer.getInt();
          default ->
              throw new DataFormatException(
                  file, ".npy format version " + major + " is not supported (1 to 3 are)");
        };
    if (length < 0 || length > buffer.remaining()) {
      throw new DataFormatException(
          file, "its header length " + length + " runs past the end of the file");
    }
    byte[] bytes = new byte[length];
    buffer.get(bytes);
    return new String(bytes, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
  }

  private static Header header(Path file) throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    String text = headerText(file, buffer);
    Matcher descr = DESCR.matcher(text);
    Matcher fortran = FORTRAN.matcher(text);
    Matcher shape = SHAPE.matcher(text);
    if (!descr.find() || !fortran.find() || !shape.find()) {
      Matcher any = Pattern.compile("'descr':\\s*('[^']*'|\\S+)").matcher(text);
      throw new DataFormatException(
          file,
          "its dtype "
              + (any.find() ? any.group(1) : "(none)")
              + " is not supported: "
              + "float32, float64 or an integer type are (header "
              + text
              + ")");
    }
    Type type = null;
    for (Type t : Type.values()) {
      // A size of ten digits or more is no type's (and would overflow an int).
      if (t.kind.equals(descr.group(2))
          && descr.group(3).length() < 10
          && t.size == Integer.parseInt(descr.group(3))) {
        type = t;
      }
    }
    if (type == null) {
      throw new DataFormatException(
          file,
          "its dtype '"
              + descr.group(1)
              + descr.group(2)
              + descr.group(3)
              + "' is not supported: float32, float64 or an integer type are");
    }
    long[] dims;
    try {
      dims =
          Arrays.stream(shape.group(1).split(","))
              .map(String::trim)
              .filter(s -> !s.isEmpty())
              .mapToLong(Long::parseLong)
              .toArray();
    } catch (NumberFormatException e) {
      throw new DataFormatException(
          file, "its shape (" + shape.group(1) + ") is not a tuple of whole numbers");
    }
    if (Arrays.stream(dims).anyMatch(d -> d < 0)) {
      throw new DataFormatException(file, "its shape (" + shape.group(1) + ") has a negative size");
    }
    ByteOrder order = descr.group(1).equals(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    return new Header(
        type,
        descr.group(1) + descr.group(2) + descr.group(3),
        fortran.group(1).equals("True"),
        dims,
        buffer.slice().order(order));
  }

  /** Column-major (Fortran) values of {@code shape} in row-major (C) order. */
  static float[] toCOrder(float[] fortran, long[] shape) {
    float[] c = new float[fortran.length];
    int rank = shape.length;
    int[] index = new int[rank];
    for (int i = 0; i < c.length; i++) {
      int offset = 0;
      int stride = 1;
      for (int d = 0; d < rank; d++) {
        offset += index[d] * stride;
        stride *= (int) shape[d];
      }
      c[i] = fortran[offset];
      for (int d = rank - 1; d >= 0; d--) {
        if (++index[d] < shape[d]) {
          break;
        }
        index[d] = 0;
      }
    }
    return c;
  }
}
