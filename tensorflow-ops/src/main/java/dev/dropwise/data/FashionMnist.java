package dev.dropwise.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * Fashion-MNIST (28x28 grey images, 10 classes).
 *
 * <p>Looked up in a directory the user names, else in {@link #SYSTEM_DIRECTORY} (Debian package
 * {@code dataset-fashion-mnist}), else the small subset embedded in this jar (the first 5,000
 * training and 1,000 test images of the real set), in which case the description says so.
 */
public final class FashionMnist {
  /** Where the Debian package {@code dataset-fashion-mnist} puts the IDX files. */
  public static final Path SYSTEM_DIRECTORY = Path.of("/usr/share/datasets/fashion-mnist");

  /** Number of classes. */
  public static final int CLASSES = 10;

  /** The classes' names, in label order. */
  public static final List<String> CLASS_NAMES =
      List.of(
          "T-shirt/top",
          "Trouser",
          "Pullover",
          "Dress",
          "Coat",
          "Sandal",
          "Shirt",
          "Sneaker",
          "Bag",
          "Ankle boot");

  static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
  static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
  static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
  static final String TEST_LABELS = "t10k-labels-idx1-ubyte";
  private static final String EMBEDDED = "/dev/dropwise/data/fashion-mnist-small/";

  private FashionMnist() {}

  /** Raw training and test sets (pixels 0 to 255) with a line saying where they came from. */
  public record Raw(Dataset train, Dataset test, String description) {}

  /**
   * The full set from the system directory if it is there, else the embedded subset; pixels scaled
   * to [0, 1].
   */
  public static ClassificationData loadDefault() throws IOException {
    return DataSpec.of("fashion-mnist").load();
  }

  /** Reads the four files ({@code .gz} or raw) from {@code directory}; pixels scaled to [0, 1]. */
  public static ClassificationData load(Path directory) throws IOException {
    if (!Files.isDirectory(directory)) {
      throw new IOException("Fashion-MNIST directory " + directory + " does not exist");
    }
    return DataSpec.of("idx:" + directory).load();
  }

  /**
   * The subset shipped inside the jar, 5,000 training and 1,000 test images; pixels scaled to [0,
   * 1].
   */
  public static ClassificationData loadEmbedded() throws IOException {
    return DataSpec.of("embedded").load();
  }

  /**
   * Reads the four files ({@code .gz} or raw) from {@code directory}, pixels as they are stored.
   */
  public static Raw readRaw(Path directory) throws IOException {
    if (!Files.isDirectory(directory)) {
      throw new IOException("Fashion-MNIST directory " + directory + " does not exist");
    }
    Dataset train = readRaw(find(directory, TRAIN_IMAGES), find(directory, TRAIN_LABELS));
    Dataset test = readRaw(find(directory, TEST_IMAGES), find(directory, TEST_LABELS));
    return new Raw(
        train,
        test,
        "Fashion-MNIST from "
            + directory
            + " ("
            + train.size()
            + " train, "
            + test.size()
            + " test)");
  }

  /** The embedded subset, pixels as they are stored. */
  public static Raw readEmbeddedRaw() throws IOException {
    Path dir = Files.createTempDirectory("dropwise-fashion-mnist-");
    try {
      for (String name : new String[] {TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS}) {
        try (InputStream in = FashionMnist.class.getResourceAsStream(EMBEDDED + name + ".gz")) {
          if (in == null) {
            throw new IOException("embedded Fashion-MNIST subset is missing " + name + ".gz");
          }
          Files.copy(in, dir.resolve(name + ".gz"), StandardCopyOption.REPLACE_EXISTING);
        }
      }
      Raw data = readRaw(dir);
      return new Raw(
          data.train(),
          data.test(),
          "embedded Fashion-MNIST subset ("
              + data.train().size()
              + " train, "
              + data.test().size()
              + " test): no full dataset found; install dataset-fashion-mnist or give a directory with the four IDX files");
    } finally {
      try (var files = Files.list(dir)) {
        for (Path p : (Iterable<Path>) files::iterator) {
          Files.deleteIfExists(p);
        }
      }
      Files.deleteIfExists(dir);
    }
  }

  /** Whether the directory holds the four files, compressed or not. */
  public static boolean hasFiles(Path directory) {
    try {
      for (String name : new String[] {TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS}) {
        find(directory, name);
      }
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Decodes an image file and a label file into a dataset, pixels scaled to [0, 1]. */
  public static Dataset read(Path imagesFile, Path labelsFile) throws IOException {
    Dataset raw = readRaw(imagesFile, labelsFile);
    return Preprocessing.fit(Preprocessing.Scale.UNIT, raw, true).apply(raw);
  }

  /**
   * Decodes an image file and a label file into a dataset (pixels 0 to 255), checking that they
   * agree.
   */
  public static Dataset readRaw(Path imagesFile, Path labelsFile) throws IOException {
    IdxReader.Images images = IdxReader.readImages(imagesFile);
    byte[] labels = IdxReader.readLabels(labelsFile);
    if (images.count() != labels.length) {
      throw new DataFormatException(
          labelsFile,
          "holds "
              + labels.length
              + " labels but "
              + imagesFile
              + " holds "
              + images.count()
              + " images");
    }
    float[] x = new float[images.pixels().length];
    for (int i = 0; i < x.length; i++) {
      x[i] = images.pixels()[i] & 0xff;
    }
    int[] y = new int[labels.length];
    for (int i = 0; i < y.length; i++) {
      y[i] = labels[i] & 0xff;
      if (y[i] >= CLASSES) {
        throw new DataFormatException(
            labelsFile, "label " + y[i] + " at index " + i + " is outside 0.." + (CLASSES - 1));
      }
    }
    return new Dataset(x, y, images.pixelsPerImage(), CLASSES);
  }

  private static Path find(Path directory, String name) throws IOException {
    for (String candidate : new String[] {name + ".gz", name}) {
      Path p = directory.resolve(candidate);
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    throw new IOException(
        "Fashion-MNIST directory " + directory + " has no " + name + ".gz (or " + name + ")");
  }
}
