package dev.dropwise.data;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.dropwise.testing.Messages;
import dev.dropwise.util.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Every data reader on any bytes: the file either loads or is refused with dropwise's own {@link
 * DataFormatException}, whose message begins with the file and holds no Java class name; nothing
 * else escapes (no runtime exception, no raw library error). Run on the committed inputs in every
 * {@code mvn verify} ({@code ReaderFuzzTestInputs/<method>/}); fuzzed for real, one method at a
 * time, with {@code JAZZER_FUZZ=1} (.ci/run does, for a bounded time).
 */
class ReaderFuzzTest {
  @FuzzTest(maxDuration = "10s")
  void csv(byte[] bytes) throws IOException {
    loadsOrIsRefused(bytes, "table.csv", file -> new CsvTable(file, null, null, ',').read(null));
  }

  @FuzzTest(maxDuration = "10s")
  void csvGzip(byte[] bytes) throws IOException {
    loadsOrIsRefused(bytes, "table.csv.gz", file -> new CsvTable(file, "0", true, ';').read(null));
  }

  @FuzzTest(maxDuration = "10s")
  void npy(byte[] bytes) throws IOException {
    loadsOrIsRefused(
        bytes,
        "x.npy",
        file -> {
          Npy.read(file);
          Npy.readLabels(file);
        });
  }

  @FuzzTest(maxDuration = "10s")
  void idx(byte[] bytes) throws IOException {
    loadsOrIsRefused(bytes, "images-idx3-ubyte", IdxReader::readImages);
    loadsOrIsRefused(bytes, "labels-idx1-ubyte", IdxReader::readLabels);
  }

  /** One class folder holds the bytes as an image, the other a real PNG. */
  @FuzzTest(maxDuration = "10s")
  void imageFolder(byte[] bytes) throws IOException {
    Path dir = Files.createTempDirectory("dropwise-fuzz-images");
    try {
      Files.createDirectories(dir.resolve("a"));
      Files.write(dir.resolve("a/fuzzed.png"), bytes);
      Files.createDirectories(dir.resolve("b"));
      java.awt.image.BufferedImage image =
          new java.awt.image.BufferedImage(3, 3, java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
      javax.imageio.ImageIO.write(image, "png", dir.resolve("b/real.png").toFile());
      try {
        new ImageFolder(dir, null).read(null);
      } catch (DataFormatException e) {
        assertNamesTheSource(e, dir, bytes);
      }
    } finally {
      AtomicFiles.deleteRecursively(dir);
    }
  }

  interface Reader {
    void read(Path file) throws IOException;
  }

  private static void loadsOrIsRefused(byte[] bytes, String name, Reader reader)
      throws IOException {
    Path dir = Files.createTempDirectory("dropwise-fuzz");
    Path file = dir.resolve(name);
    try {
      Files.write(file, bytes);
      try {
        reader.read(file);
      } catch (DataFormatException e) {
        assertNamesTheSource(e, file, bytes);
      }
    } finally {
      AtomicFiles.deleteRecursively(dir);
    }
  }

  /**
   * The message begins with the file, and shows no Java class that the file itself does not hold.
   */
  private static void assertNamesTheSource(DataFormatException e, Path source, byte[] bytes) {
    assertTrue(
        e.getMessage().startsWith(source.toString()),
        "the message begins with the file: " + e.getMessage());
    String text =
        new String(bytes, StandardCharsets.UTF_8) + new String(bytes, StandardCharsets.ISO_8859_1);
    assertFalse(
        Messages.showsJava(e.getMessage(), text),
        "no Java class in the message: " + e.getMessage());
  }
}
