package dev.dropwise.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * images:DIR on Fashion-MNIST written out as PNG folders: the same pixels as the IDX files, and
 * every bad folder refused.
 */
class ImageFolderTest {

  /** The first {@code n} embedded training images, as stored, written as grey PNG class folders. */
  static Dataset writeFolders(Path dir, int n) throws IOException {
    Dataset train = FashionMnist.readEmbeddedRaw().train().head(n);
    assertEquals(n, ImageFolder.write(train, List.of(28, 28, 1), FashionMnist.CLASS_NAMES, dir));
    return train;
  }

  static String folder(int label) {
    return label + "-" + FashionMnist.CLASS_NAMES.get(label).replace('/', '-');
  }

  @Test
  void pngFoldersLoadToTheIdxFilesPixels(@TempDir Path dir) throws IOException {
    int n = 300;
    Dataset train = writeFolders(dir, n);
    LabelledExamples read = DataSource.parse("images:" + dir, "data").read(null, null).examples();
    assertEquals(List.of(28, 28, 1), read.shape());
    assertTrue(read.eightBit());
    assertEquals(n, read.examples().size());
    // Folders sort by name ("0-T-shirt-top" ... "9-Ankle boot"), files by name within each: order
    // by (label, index).
    int row = 0;
    for (int k = 0; k < 10; k++) {
      assertEquals(folder(k), read.classNames().get(k));
      for (int i = 0; i < n; i++) {
        if (train.labels()[i] == k) {
          float[] expected = java.util.Arrays.copyOfRange(train.features(), i * 784, (i + 1) * 784);
          assertArrayEquals(
              expected,
              java.util.Arrays.copyOfRange(read.examples().features(), row * 784, (row + 1) * 784),
              "image " + i);
          assertEquals(k, read.examples().labels()[row++]);
        }
      }
    }
    // Resized and converted on request: 14x14 RGB, every channel equal for a grey image.
    LabelledExamples small =
        DataSource.parse("images:" + dir, "data").read(null, List.of(14, 14, 3)).examples();
    assertEquals(List.of(14, 14, 3), small.shape());
    float[] x = small.examples().features();
    assertEquals(x[0], x[1]);
    assertEquals(x[1], x[2]);
  }

  @Test
  void badFoldersAreRefusedNamingThePath(@TempDir Path dir) throws IOException {
    writeFolders(dir, 40);
    Path broken = dir.resolve(folder(0)).resolve("broken.png");
    Files.writeString(broken, "not a png");
    String unreadable =
        assertThrows(
                DataFormatException.class,
                () -> DataSource.parse("images:" + dir, "data").read(null, null))
            .getMessage();
    assertTrue(
        unreadable.startsWith(broken.toString())
            && unreadable.contains("cannot be read as an image"),
        unreadable);
    Files.delete(broken);

    ImageIO.write(
        new BufferedImage(20, 28, BufferedImage.TYPE_BYTE_GRAY),
        "png",
        dir.resolve(folder(1)).resolve("wide.png").toFile());
    String sizes =
        assertThrows(
                DataFormatException.class,
                () -> DataSource.parse("images:" + dir, "data").read(null, null))
            .getMessage();
    assertTrue(sizes.contains("is 28x20 but") && sizes.contains("--image HxWxC"), sizes);
    assertEquals(
        28 * 28,
        DataSource.parse("images:" + dir, "data")
            .read(null, List.of(28, 28, 1))
            .examples()
            .examples()
            .featureCount(),
        "resizing takes images of any size");
    Files.delete(dir.resolve(folder(1)).resolve("wide.png"));

    Files.createDirectories(dir.resolve("zz-empty"));
    String empty =
        assertThrows(
                DataFormatException.class,
                () -> DataSource.parse("images:" + dir, "data").read(null, null))
            .getMessage();
    assertEquals(
        dir.resolve("zz-empty") + ": class folder holds no .png, .jpg or .jpeg image", empty);
  }
}
