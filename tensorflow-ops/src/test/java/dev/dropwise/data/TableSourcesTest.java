package dev.dropwise.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * csv: and npy: sources on real files: the CSV tables Debian's python3-sklearn ships, and arrays
 * Debian's python3-numpy writes (both installed by .ci/run), each checked against a reader written
 * here; and every kind of bad table, refused with its place.
 */
class TableSourcesTest {
  static final Path SKLEARN = Path.of("/usr/lib/python3/dist-packages/sklearn/datasets/data");

  /**
   * The rows of a scikit-learn CSV as plain text split on commas: its first line (counts and class
   * names) dropped.
   */
  static List<String[]> rows(Path file) throws IOException {
    String text;
    try (InputStream in =
        file.toString().endsWith(".gz")
            ? new GZIPInputStream(Files.newInputStream(file))
            : Files.newInputStream(file)) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    List<String[]> rows = new ArrayList<>();
    for (String line : text.split("\n", -1)) {
      if (!line.isBlank()) {
        rows.add(line.trim().split(","));
      }
    }
    return rows;
  }

  static void assertLoadsAsWritten(LabelledExamples read, List<String[]> rows) {
    Dataset d = read.examples();
    assertEquals(rows.size(), d.size(), "rows");
    int features = rows.get(0).length - 1;
    assertEquals(features, d.featureCount());
    TreeSet<Integer> labels = new TreeSet<>();
    for (int i = 0; i < rows.size(); i++) {
      for (int j = 0; j < features; j++) {
        assertEquals(
            Float.parseFloat(rows.get(i)[j]),
            d.features()[i * features + j],
            0f,
            "row " + i + " column " + j);
      }
      int label = Integer.parseInt(rows.get(i)[features]);
      labels.add(label);
      assertEquals(label, d.labels()[i], "row " + i + ": integer labels 0..K-1 keep their value");
    }
    assertEquals(labels.size(), d.classCount());
    assertEquals(labels.stream().map(String::valueOf).toList(), read.classNames());
  }

  @Test
  void scikitLearnsWineAndDigitsLoadToTheirValues() throws IOException {
    Path wine = SKLEARN.resolve("wine_data.csv");
    List<String[]> wineRows = rows(wine);
    wineRows.remove(
        0); // 178,13,class_0,class_1,class_2: detected as a header (it has cells that are not
    // numbers)
    LabelledExamples w = DataSource.parse("csv:" + wine, "data").read(null, null).examples();
    assertLoadsAsWritten(w, wineRows);
    assertEquals(178, w.examples().size());
    assertEquals(List.of(13), w.shape());

    Path digits = SKLEARN.resolve("digits.csv.gz"); // gzip, no header at all
    LabelledExamples g = DataSource.parse("csv:" + digits, "data").read(null, null).examples();
    assertLoadsAsWritten(g, rows(digits));
    assertEquals(1797, g.examples().size());
    assertEquals(10, g.examples().classCount());
  }

  @Test
  void aLabelColumnByNameOrIndexAndStringLabelsInOrderOfFirstAppearance(@TempDir Path dir)
      throws IOException {
    Path file = dir.resolve("t.csv");
    Files.writeString(file, "kind;a;b\nsetosa;1.5;2\nvirginica;3;4e1\nsetosa;-1;0.25\n");
    LabelledExamples byName =
        DataSource.parse("csv:" + file + ",label=kind,sep=;", "data").read(null, null).examples();
    assertEquals(List.of("setosa", "virginica"), byName.classNames());
    assertArrayEquals(new int[] {0, 1, 0}, byName.examples().labels());
    assertArrayEquals(new float[] {1.5f, 2f, 3f, 40f, -1f, 0.25f}, byName.examples().features());
    LabelledExamples byIndex =
        DataSource.parse("csv:" + file + ",label=0,sep=;,header=true", "data")
            .read(null, null)
            .examples();
    assertArrayEquals(byName.examples().features(), byIndex.examples().features());
    // A test set's labels are looked up by the training set's names, whatever their order there.
    Path test = dir.resolve("test.csv");
    Files.writeString(test, "kind;a;b\nvirginica;0;0\nsetosa;1;1\n");
    assertArrayEquals(
        new int[] {1, 0},
        DataSource.parse("csv:" + test + ",label=kind,sep=;", "testData")
            .read(KnownClasses.ofTrainingData(byName.classNames()), null)
            .examples()
            .examples()
            .labels());
  }

  private static String refusal(Path dir, String content, String options) throws IOException {
    Path file = dir.resolve("bad.csv");
    Files.writeString(file, content);
    DataFormatException e =
        assertThrows(
            DataFormatException.class,
            () -> DataSource.parse("csv:" + file + options, "data").read(null, null));
    assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
    return e.getMessage();
  }

  @Test
  void badTablesAreRefusedNamingTheFileAndThePlace(@TempDir Path dir) throws IOException {
    assertTrue(
        refusal(dir, "a,b,y\n1,2,0\n3,4\n", "")
            .endsWith("line 3 has 2 columns, expected 3 (as on line 2)"),
        "ragged");
    String notANumber = refusal(dir, "a,b,y\n1,2,0\n\n3,x7,1\n", "");
    assertTrue(
        notANumber.endsWith("line 4, column 2 ('b'): 'x7' is not a number"),
        "blank lines still counted: " + notANumber);
    assertTrue(
        refusal(dir, "1,2,0\n3,NaN,1\n", "")
            .endsWith("line 2, column 2 ('column 2'): NaN is not a finite number"));
    assertTrue(
        refusal(dir, "1,Infinity,0\n3,4,1\n", "")
            .endsWith("line 1, column 2 ('column 2'): Infinity is not a finite number"));
    assertTrue(
        refusal(dir, "a,b,y\n1,2,0\n", ",label=kind")
            .contains("label=kind: no column has that name; the columns are [a, b, y]"));
    assertTrue(
        refusal(dir, "1,2,0\n3,4,0\n", "")
            .endsWith("holds 1 class (0); a classifier needs at least two"));
  }

  /** Writes arrays with Debian's NumPy: what a user's .npy files look like. */
  static void numpy(Path dir, String program) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder("/usr/bin/python3", "-c", "import numpy as np\n" + program)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), out);
  }

  @Test
  void numpysArraysLoadToTheirValuesWhateverTheirOrderAndType(@TempDir Path dir) throws Exception {
    // x[i, h, w] = i * 100 + h * 10 + w, written as float64 in Fortran order, float32 big-endian,
    // and uint8.
    numpy(
        dir,
        """
            x = np.fromfunction(lambda i, h, w: i * 100 + h * 10 + w, (6, 2, 3))
            np.save('f64_fortran.npy', np.asfortranarray(x))
            np.save('f32_big.npy', x.astype('>f4'))
            np.save('u8.npy', (x % 256).astype(np.uint8))
            np.save('flat.npy', x.reshape(6, 6).astype(np.float32))
            np.save('y.npy', np.array([3, 7, 3, 7, 9, 3], dtype=np.int64))
            np.save('y_big.npy', np.array([3, 7, 3, 7, 9, 3], dtype='>i2'))
            np.save('y_float.npy', np.zeros(6))
            np.save('x_nan.npy', np.where(x == 112, np.nan, x))
            np.save('x_complex.npy', x.astype(np.complex64))
            """);
    float[] expected = new float[36];
    for (int i = 0; i < 6; i++) {
      for (int h = 0; h < 2; h++) {
        for (int w = 0; w < 3; w++) {
          expected[i * 6 + h * 3 + w] = i * 100 + h * 10 + w;
        }
      }
    }
    for (String x : List.of("f64_fortran", "f32_big")) {
      for (String y : List.of("y", "y_big")) {
        LabelledExamples read =
            DataSource.parse(
                    "npy:" + dir.resolve(x + ".npy") + "," + dir.resolve(y + ".npy"), "data")
                .read(null, null)
                .examples();
        assertArrayEquals(expected, read.examples().features(), x + ", " + y);
        assertEquals(List.of(2, 3, 1), read.shape(), "[N, H, W]: one channel");
        assertEquals(List.of("3", "7", "9"), read.classNames());
        assertArrayEquals(new int[] {0, 1, 0, 1, 2, 0}, read.examples().labels());
        assertEquals(false, read.eightBit());
      }
    }
    LabelledExamples u8 =
        DataSource.parse("npy:" + dir.resolve("u8.npy") + "," + dir.resolve("y.npy"), "data")
            .read(null, null)
            .examples();
    assertTrue(u8.eightBit());
    assertEquals(expected[35] % 256, u8.examples().features()[35]);
    assertEquals(
        List.of(6),
        DataSource.parse("npy:" + dir.resolve("flat.npy") + "," + dir.resolve("y.npy"), "data")
            .read(null, null)
            .examples()
            .shape());

    String labelsNotIntegers =
        assertThrows(
                DataFormatException.class,
                () ->
                    DataSource.parse(
                            "npy:" + dir.resolve("u8.npy") + "," + dir.resolve("y_float.npy"),
                            "data")
                        .read(null, null))
            .getMessage();
    assertTrue(
        labelsNotIntegers.endsWith("labels must be integers, but its dtype is '<f8'"),
        labelsNotIntegers);
    String nan =
        assertThrows(
                DataFormatException.class,
                () ->
                    DataSource.parse(
                            "npy:" + dir.resolve("x_nan.npy") + "," + dir.resolve("y.npy"), "data")
                        .read(null, null))
            .getMessage();
    assertTrue(
        nan.endsWith("the value at index (1, 1, 2) is NaN; every value must be finite"), nan);
    String complex =
        assertThrows(
                DataFormatException.class,
                () ->
                    DataSource.parse(
                            "npy:" + dir.resolve("x_complex.npy") + "," + dir.resolve("y.npy"),
                            "data")
                        .read(null, null))
            .getMessage();
    assertTrue(complex.contains("its dtype '<c8' is not supported"), complex);
    numpy(dir, "np.save('y5.npy', np.arange(5))\nnp.save('x1d.npy', np.arange(6.0))");
    String shape =
        assertThrows(
                DataFormatException.class,
                () ->
                    DataSource.parse(
                            "npy:" + dir.resolve("x1d.npy") + "," + dir.resolve("y.npy"), "data")
                        .read(null, null))
            .getMessage();
    assertTrue(
        shape.endsWith(
            "its shape [6] is not supported: [N, features], [N, H, W] or [N, H, W, C] are"),
        shape);
    String lengths =
        assertThrows(
                DataFormatException.class,
                () ->
                    DataSource.parse(
                            "npy:" + dir.resolve("u8.npy") + "," + dir.resolve("y5.npy"), "data")
                        .read(null, null))
            .getMessage();
    assertTrue(lengths.endsWith("holds 5 labels but u8.npy holds 6 examples"), lengths);
  }

  @Test
  void aStratifiedSplitTakesTheShareOfEveryClass() throws IOException {
    Dataset wine =
        DataSource.parse("csv:" + SKLEARN.resolve("wine_data.csv"), "data")
            .read(null, null)
            .examples()
            .examples();
    Dataset[] parts = DataSpec.stratifiedSplit(wine, 0.2, 7);
    int[] all = new int[3];
    int[] test = new int[3];
    for (int y : wine.labels()) {
      all[y]++;
    }
    for (int y : parts[1].labels()) {
      test[y]++;
    }
    for (int k = 0; k < 3; k++) {
      assertEquals(Math.round(0.2 * all[k]), test[k], "class " + k);
    }
    assertEquals(wine.size(), parts[0].size() + parts[1].size());
    assertArrayEquals(
        parts[1].features(),
        DataSpec.stratifiedSplit(wine, 0.2, 7)[1].features(),
        "the same seed, the same split");
  }

  @Test
  void fashionMnistWrittenByNumpyFromTheIdxFilesLoadsToTheIdxReadersValues(@TempDir Path dir)
      throws Exception {
    for (String name : List.of("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz")) {
      try (InputStream in =
          FashionMnist.class.getResourceAsStream(
              "/dev/dropwise/data/fashion-mnist-small/" + name)) {
        Files.copy(in, dir.resolve(name));
      }
    }
    // NumPy reads the IDX bytes itself (16- and 8-byte headers) and writes uint8 images [N, 28, 28]
    // and int64 labels.
    numpy(
        dir,
        """
            import gzip
            x = np.frombuffer(gzip.open('train-images-idx3-ubyte.gz').read(), np.uint8, offset=16).reshape(-1, 28, 28)
            y = np.frombuffer(gzip.open('train-labels-idx1-ubyte.gz').read(), np.uint8, offset=8).astype(np.int64)
            np.save('x.npy', x)
            np.save('y.npy', y)
            """);
    LabelledExamples read =
        DataSource.parse("npy:" + dir.resolve("x.npy") + "," + dir.resolve("y.npy"), "data")
            .read(null, null)
            .examples();
    Dataset idx = FashionMnist.readEmbeddedRaw().train();
    assertArrayEquals(idx.features(), read.examples().features());
    assertArrayEquals(idx.labels(), read.examples().labels());
    assertEquals(List.of(28, 28, 1), read.shape());
    assertTrue(read.eightBit(), "uint8: unit scaling divides by 255, as for the IDX files");
  }
}
