package dev.dropwise.export;

import dev.dropwise.util.AtomicFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** NumPy {@code .npy} (format 1.0) for little-endian float32 arrays, C order. */
public final class Npy {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0};
  private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

  private Npy() {}

  /** A float32 array with its shape. */
  public record Array(float[] data, long[] shape) {}

  public static void write(Path file, float[] data, long... shape) throws IOException {
    long count = Arrays.stream(shape).reduce(1, Math::multiplyExact);
    if (count != data.length) {
      throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + count + " values, data has " + data.length);
    }
    StringBuilder dims = new StringBuilder();
    for (long d : shape) {
      dims.append(d).append(", ");
    }
    String shapeText = shape.length == 1 ? dims.toString().trim() : dims.substring(0, Math.max(0, dims.length() - 2));
    String header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + shapeText + "), }";
    int unpadded = MAGIC.length + 2 + header.length() + 1;
    header = header + " ".repeat((64 - unpadded % 64) % 64) + "\n";
    ByteBuffer buffer = ByteBuffer.allocate(MAGIC.length + 2 + header.length() + 4 * data.length)
        .order(ByteOrder.LITTLE_ENDIAN);
    buffer.put(MAGIC).putShort((short) header.length()).put(header.getBytes(StandardCharsets.US_ASCII));
    buffer.asFloatBuffer().put(data);
    AtomicFiles.write(file, buffer.array());
  }

  public static Array read(Path file) throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    byte[] magic = new byte[MAGIC.length];
    buffer.get(magic);
    if (magic[0] != MAGIC[0] || magic[1] != 'N' || magic[6] != 1) {
      throw new IOException(file + ": not a version-1 .npy file");
    }
    byte[] header = new byte[Short.toUnsignedInt(buffer.getShort())];
    buffer.get(header);
    String text = new String(header, StandardCharsets.US_ASCII);
    if (!text.contains("'<f4'") || text.contains("'fortran_order': True")) {
      throw new IOException(file + ": only little-endian float32 in C order is supported, header " + text.trim());
    }
    Matcher m = SHAPE.matcher(text);
    if (!m.find()) {
      throw new IOException(file + ": no shape in header " + text.trim());
    }
    long[] shape = Arrays.stream(m.group(1).split(",")).map(String::trim).filter(s -> !s.isEmpty())
        .mapToLong(Long::parseLong).toArray();
    float[] data = new float[(int) Arrays.stream(shape).reduce(1, Math::multiplyExact)];
    buffer.asFloatBuffer().get(data);
    return new Array(data, shape);
  }
}
