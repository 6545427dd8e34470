package dev.dropwise.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {
  @TempDir Path dir;

  static byte[] images(int magic, int count, int rows, int cols, int bodyBytes) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeInt(magic);
    out.writeInt(count);
    out.writeInt(rows);
    out.writeInt(cols);
    for (int i = 0; i < bodyBytes; i++) {
      out.writeByte(i % 256);
    }
    return bytes.toByteArray();
  }

  static byte[] labels(int count, int... values) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeInt(IdxReader.LABELS_MAGIC);
    out.writeInt(count);
    for (int v : values) {
      out.writeByte(v);
    }
    return bytes.toByteArray();
  }

  Path write(String name, byte[] content, boolean gzip) throws IOException {
    Path p = dir.resolve(name);
    try (OutputStream out =
        gzip ? new GZIPOutputStream(Files.newOutputStream(p)) : Files.newOutputStream(p)) {
      out.write(content);
    }
    return p;
  }

  @Test
  void readsGzipAndRawAlike() throws IOException {
    byte[] content = images(IdxReader.IMAGES_MAGIC, 3, 2, 2, 12);
    IdxReader.Images raw = IdxReader.readImages(write("raw", content, false));
    IdxReader.Images gz = IdxReader.readImages(write("gz", content, true));
    assertEquals(3, raw.count());
    assertEquals(4, raw.pixelsPerImage());
    assertArrayEquals(Arrays.copyOfRange(content, 16, 28), raw.pixels());
    assertArrayEquals(raw.pixels(), gz.pixels());
  }

  @Test
  void decodesUnsignedPixelsToUnitRangeAndChecksLabels() throws IOException {
    Path img = write("img.gz", images(IdxReader.IMAGES_MAGIC, 2, 1, 2, 4), true);
    // pixel bytes 0,1,2,3 -> 0, 1/255, ...; make one of them 255 to check unsigned decoding
    byte[] content = images(IdxReader.IMAGES_MAGIC, 2, 1, 2, 4);
    content[16 + 3] = (byte) 255;
    Files.write(img, content);
    Dataset d = FashionMnist.read(img, write("lab", labels(2, 9, 0), false));
    assertEquals(2, d.size());
    assertEquals(1f, d.features()[3], 0f);
    assertEquals(1f / 255f, d.features()[1], 0f);
    assertArrayEquals(new int[] {9, 0}, d.labels());
  }

  @Test
  void badMagicNumberNamesTheFile() throws IOException {
    Path p = write("wrong-magic", images(0x00000801, 1, 2, 2, 4), false);
    DataFormatException e = assertThrows(DataFormatException.class, () -> IdxReader.readImages(p));
    assertTrue(e.getMessage().startsWith(p.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("bad magic number 0x00000801"), e.getMessage());
  }

  @Test
  void truncatedHeaderIsReported() throws IOException {
    Path p =
        write("short-header", Arrays.copyOf(images(IdxReader.IMAGES_MAGIC, 1, 2, 2, 4), 10), false);
    DataFormatException e = assertThrows(DataFormatException.class, () -> IdxReader.readImages(p));
    assertTrue(
        e.getMessage().contains("truncated: the header ends before the row count"), e.getMessage());
  }

  @Test
  void truncatedBodyIsReported() throws IOException {
    Path p = write("short-body.gz", images(IdxReader.IMAGES_MAGIC, 3, 2, 2, 7), true);
    DataFormatException e = assertThrows(DataFormatException.class, () -> IdxReader.readImages(p));
    assertTrue(e.getMessage().contains("declares 12 data bytes but only 7 follow"), e.getMessage());
  }

  @Test
  void extraBytesMeanSizesDoNotMatch() throws IOException {
    Path p = write("long-body", images(IdxReader.IMAGES_MAGIC, 1, 2, 2, 5), false);
    DataFormatException e = assertThrows(DataFormatException.class, () -> IdxReader.readImages(p));
    assertTrue(e.getMessage().contains("sizes don't match"), e.getMessage());
  }

  @Test
  void imageAndLabelCountsMustAgree() throws IOException {
    Path img = write("img", images(IdxReader.IMAGES_MAGIC, 3, 1, 1, 3), false);
    Path lab = write("lab", labels(2, 1, 2), false);
    DataFormatException e =
        assertThrows(DataFormatException.class, () -> FashionMnist.read(img, lab));
    assertTrue(
        e.getMessage().contains("holds 2 labels but " + img + " holds 3 images"), e.getMessage());
  }

  @Test
  void labelsOutsideTheClassesAreRefused() throws IOException {
    Path img = write("img", images(IdxReader.IMAGES_MAGIC, 1, 1, 1, 1), false);
    Path lab = write("lab", labels(1, 12), false);
    DataFormatException e =
        assertThrows(DataFormatException.class, () -> FashionMnist.read(img, lab));
    assertTrue(e.getMessage().contains("label 12 at index 0"), e.getMessage());
  }

  @Test
  void missingFileIsNamed() {
    Path p = dir.resolve("absent");
    DataFormatException e = assertThrows(DataFormatException.class, () -> IdxReader.readLabels(p));
    assertTrue(e.getMessage().contains("absent: no such file"), e.getMessage());
  }

  @Test
  void embeddedSubsetLoadsWithItsDocumentedSizes() throws IOException {
    ClassificationData data = FashionMnist.loadEmbedded();
    assertEquals(5000, data.train().size());
    assertEquals(1000, data.test().size());
    assertEquals(784, data.train().featureCount());
    assertTrue(data.description().contains("embedded"));
    int[] perClass = new int[10];
    for (int label : data.train().labels()) {
      perClass[label]++;
    }
    for (int c = 0; c < 10; c++) {
      assertTrue(perClass[c] > 350, "class " + c + " has only " + perClass[c] + " examples");
    }
  }
}
