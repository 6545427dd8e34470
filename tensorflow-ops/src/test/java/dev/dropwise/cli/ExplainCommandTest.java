package dev.dropwise.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dropwise.data.Dataset;
import dev.dropwise.export.Npy;
import dev.dropwise.export.ServingModel;
import dev.dropwise.model.DenseWeights;
import dev.dropwise.testing.TestSupport;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExplainCommandTest {
  @TempDir static Path dir;
  static Path model;

  static int run(String... args) {
    StringWriter err = new StringWriter();
    int code = Dropwise.run(new PrintWriter(err, true), args);
    assertEquals(0, code, err.toString());
    return code;
  }

  @BeforeAll
  static void trainAndExport() {
    model = dir.resolve("model");
    run("train", "--data", "embedded", "--limit", "500", "--layers", "24,16", "--epochs", "1",
        "--dropout", "lrp:p=0.25", "--out", dir.resolve("train").toString(), "--export", model.toString());
  }

  @Test
  void activationScoresAreTheHiddenActivationsOfTheExportedWeights() throws Exception {
    Path out = dir.resolve("act.npy");
    run("explain", "--data", "embedded", "--model", model.toString(), "--importance", "activation",
        "--limit", "30", "--out", out.toString());
    Dataset test = TestSupport.embedded().test().head(30);
    List<DenseWeights> layers;
    try (ServingModel serving = ServingModel.load(model)) {
      layers = serving.denseLayers();
    }
    Npy.Array first = Npy.read(dir.resolve("act.hidden_1.npy"));
    Npy.Array second = Npy.read(dir.resolve("act.hidden_2.npy"));
    assertArrayEquals(new long[] {30, 24}, first.shape());
    assertArrayEquals(new long[] {30, 16}, second.shape());
    for (int e = 0; e < 30; e++) {
      float[] a = java.util.Arrays.copyOfRange(test.features(), e * 784, (e + 1) * 784);
      for (int l = 0; l < 2; l++) {
        float[][] w = layers.get(l).kernel();
        float[] b = layers.get(l).bias();
        float[] next = new float[b.length];
        for (int j = 0; j < b.length; j++) {
          double z = b[j];
          for (int i = 0; i < a.length; i++) {
            z += a[i] * w[i][j];
          }
          next[j] = (float) Math.max(0, z);
        }
        float[] got = (l == 0 ? first : second).data();
        for (int j = 0; j < b.length; j++) {
          assertEquals(next[j], got[e * b.length + j], 1e-4f, "example " + e + ", layer " + (l + 1) + ", unit " + j);
        }
        a = next;
      }
    }
  }

  @Test
  void lrpScoresGoToNpyAndCsv() throws Exception {
    Path out = dir.resolve("lrp.npy");
    run("explain", "--data", "embedded", "--model", model.toString(), "--importance", "lrp-eps",
        "--limit", "12", "--out", out.toString(), "--csv");
    Npy.Array scores = Npy.read(dir.resolve("lrp.hidden_1.npy"));
    assertArrayEquals(new long[] {12, 24}, scores.shape());
    List<String> csv = Files.readAllLines(dir.resolve("lrp.hidden_2.csv"));
    assertEquals(13, csv.size(), "a header and one row per example");
    assertEquals(16, csv.get(1).split(",").length);
    double total = 0;
    for (float v : scores.data()) {
      total += Math.abs(v);
    }
    assertTrue(total > 0, "relevance reaches the hidden units");
  }

  @Test
  void unknownImportanceIsRefusedWithItsName() {
    StringWriter err = new StringWriter();
    int code = Dropwise.run(new PrintWriter(err, true), "explain", "--data", "embedded", "--model", model.toString(),
        "--importance", "saliency");
    assertEquals(2, code);
    assertTrue(err.toString().contains("--importance saliency: unknown importance 'saliency'"), err.toString());
  }
}
