package dev.dropwise.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dropwise.data.Npy;
import dev.dropwise.util.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line on a CSV table: train, export, predict with class names; bad data refused with
 * nothing written.
 */
class YourOwnDataCliTest {
  static final String WINE =
      "csv:/usr/lib/python3/dist-packages/sklearn/datasets/data/wine_data.csv";
  @TempDir Path dir;

  record Outcome(int code, String out, String err) {}

  static Outcome run(String... args) {
    StringWriter err = new StringWriter();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream original = System.out;
    int code;
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      code = Dropwise.run(new PrintWriter(err, true), args);
    } finally {
      System.setOut(original);
    }
    return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString());
  }

  @Test
  void aTableTrainsExportsAndServesWithItsClassNames() throws Exception {
    Path table = dir.resolve("wine-named.csv");
    // The wine rows with their cultivars named: string labels become classes in order of first
    // appearance.
    List<String> rows = Files.readAllLines(Path.of(WINE.substring(4)));
    StringBuilder named = new StringBuilder();
    for (String row : rows.subList(1, rows.size())) {
      int comma = row.lastIndexOf(',');
      named
          .append(
              List.of("barolo", "grignolino", "barbera")
                  .get(Integer.parseInt(row.substring(comma + 1).trim())))
          .append(',')
          .append(row, 0, comma)
          .append('\n');
    }
    Files.writeString(table, named);
    Path model = dir.resolve("model");
    Outcome train =
        run(
            "train",
            "--data",
            "csv:" + table + ",label=0",
            "--layers",
            "32",
            "--epochs",
            "20",
            "--out",
            dir.resolve("out").toString(),
            "--export",
            model.toString());
    assertEquals(0, train.code(), train.err());
    assertTrue(
        train
            .out()
            .contains(
                "(178 rows, 13 features, 3 classes); test set: 36 examples split off (0.2, stratified, seed 1)"),
        "out: " + train.out() + "\nerr: " + train.err());
    JsonNode metadata = Json.MAPPER.readTree(model.resolve("dropwise-model.json").toFile());
    assertEquals("[\"barolo\",\"grignolino\",\"barbera\"]", metadata.get("classNames").toString());
    assertEquals("standardize", metadata.get("preprocessing").get("scale").asText());
    assertEquals(13, metadata.get("preprocessing").get("shift").size());

    Outcome predict =
        run(
            "predict",
            "--model",
            model.toString(),
            "--data",
            "csv:" + table + ",label=0",
            "--out",
            dir.resolve("p.csv").toString());
    assertEquals(0, predict.code(), predict.err());
    assertTrue(predict.out().contains("barolo"), predict.out());
    Outcome eval = run("eval", "--model", model.toString(), "--data", "csv:" + table + ",label=0");
    assertEquals(0, eval.code(), eval.err());
    String trained =
        train.out().lines().filter(l -> l.startsWith("test:")).findFirst().orElseThrow();
    String served = eval.out().lines().filter(l -> l.startsWith("test:")).findFirst().orElseThrow();
    // The export scales raw features itself: the same accuracy as the training graph on scaled
    // ones.
    assertEquals(
        trained.replaceAll(".*accuracy ([0-9.]+).*", "$1"),
        served.replaceAll(".*accuracy ([0-9.]+).*", "$1"));
  }

  /**
   * Sequences for recurrent layers: NumPy's {@code [N, T, F]} read as T steps of F, whose class
   * only the last step tells; and a table's rows as {@code --sequence} steps. The export records
   * the sequence shape.
   */
  @Test
  void sequencesAreReadFromNumPyAndFromATablesRows() throws Exception {
    int n = 240, steps = 6, features = 3;
    java.util.Random random = new java.util.Random(3);
    float[] x = new float[n * steps * features];
    java.nio.ByteBuffer y =
        java.nio.ByteBuffer.allocate(4 * n).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) random.nextGaussian();
    }
    for (int i = 0; i < n; i++) {
      y.putInt(x[(i * steps + steps - 1) * features] > 0 ? 1 : 0);
    }
    Path xs = dir.resolve("seq_x.npy");
    Path ys = dir.resolve("seq_y.npy");
    Npy.write(xs, x, n, steps, features);
    BadInputCliTest.npy(ys, "<i4", "(" + n + ",)", y.array());
    Path model = dir.resolve("seq-model");
    Outcome train =
        run(
            "train",
            "--data",
            "npy:" + xs + "," + ys,
            "--layers",
            "lstm:8",
            "--epochs",
            "40",
            "--optimizer",
            "adam",
            "--lr",
            "0.02",
            "--out",
            dir.resolve("seq-out").toString(),
            "--export",
            model.toString());
    assertEquals(0, train.code(), train.err());
    assertTrue(train.out().contains("model: 6x3-lstm8-2"), train.out());
    double accuracy =
        Double.parseDouble(
            train
                .out()
                .lines()
                .filter(l -> l.startsWith("test:"))
                .findFirst()
                .orElseThrow()
                .replaceAll(".*accuracy ([0-9.]+).*", "$1"));
    assertTrue(accuracy > 0.8, "the last step's sign is learnt: " + accuracy);
    JsonNode metadata = Json.MAPPER.readTree(model.resolve("dropwise-model.json").toFile());
    assertEquals("6x3", metadata.get("input").asText());

    Outcome rows =
        run(
            "train",
            "--data",
            WINE,
            "--layers",
            "gru:8",
            "--sequence",
            "13",
            "--epochs",
            "1",
            "--out",
            dir.resolve("wine-seq").toString());
    assertEquals(0, rows.code(), rows.err());
    assertTrue(rows.out().contains("model: 13x1-gru8-3"), rows.out());
  }

  @Test
  void badDataIsRefusedBeforeTrainingAndNothingIsWritten() throws Exception {
    Path bad = dir.resolve("bad.csv");
    Files.writeString(bad, "a,b,y\n1,2,0\n3,4\n5,6,1\n");
    Path out = dir.resolve("out");
    Outcome o =
        run(
            "train",
            "--data",
            "csv:" + bad,
            "--out",
            out.toString(),
            "--export",
            dir.resolve("m").toString());
    assertEquals(1, o.code());
    assertEquals(
        "dropwise: " + bad + ": line 3 has 2 columns, expected 3 (as on line 2)", o.err().strip());
    assertFalse(Files.exists(out), "no output directory");
    assertFalse(Files.exists(dir.resolve("m")), "no export");

    Outcome both = run("train", "--data", WINE, "--test-data", WINE, "--test-fraction", "0.3");
    assertEquals(2, both.code());
    assertTrue(both.err().contains("--test-fraction 0.3: give either a test source"), both.err());
    Outcome missing = run("train", "--data", "csv:" + dir.resolve("nothing.csv"));
    assertEquals(2, missing.code());
    assertTrue(
        missing.err().contains("--data csv:" + dir.resolve("nothing.csv") + ": no such file"),
        missing.err());
  }

  @Test
  void theDataCommandShowsWhatASourceHoldsAndWritesImagesAsFolders() throws Exception {
    Outcome wine = run("data", "--data", WINE);
    assertEquals(0, wine.code(), wine.err());
    assertTrue(
        wine.out().contains("examples: 142 train, 36 test; one example: [13] features"),
        wine.out());
    List<String> rows =
        wine.out().lines().filter(l -> l.matches("\\s+[0-2]\\s+[0-2]\\s+\\d+\\s+\\d+")).toList();
    assertEquals(
        List.of("0 0 47 12", "1 1 57 14", "2 2 38 10"),
        rows.stream().map(l -> l.trim().replaceAll("\\s+", " ")).toList(),
        "per class: 0.2 of 59, 71 and 48 rows to the test set");
    Outcome flat = run("data", "--data", WINE, "--write-images", dir.resolve("png").toString());
    assertEquals(2, flat.code());
    assertTrue(flat.err().contains("holds flat examples of [13], not images"), flat.err());
    assertFalse(Files.exists(dir.resolve("png")), "nothing written");

    Outcome images =
        run("data", "--data", "embedded", "--write-images", dir.resolve("png").toString());
    assertEquals(0, images.code(), images.err());
    assertTrue(
        images.out().contains("images: 6000 PNG files under " + dir.resolve("png")), images.out());
    try (var files = Files.walk(dir.resolve("png"))) {
      assertEquals(6000, files.filter(f -> f.toString().endsWith(".png")).count());
    }
  }
}
