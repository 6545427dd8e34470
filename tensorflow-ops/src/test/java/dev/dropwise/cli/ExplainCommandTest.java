package dev.dropwise.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dropwise.data.Dataset;
import dev.dropwise.data.Npy;
import dev.dropwise.export.ServingModel;
import dev.dropwise.testing.TestSupport;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
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
    run(
        "train",
        "--data",
        "embedded",
        "--limit",
        "500",
        "--layers",
        "24,16",
        "--epochs",
        "1",
        "--dropout",
        "lrp:p=0.25",
        "--out",
        dir.resolve("train").toString(),
        "--export",
        model.toString());
  }

  @Test
  void activationScoresAreTheHiddenActivationsOfTheExportedWeights() throws Exception {
    Path out = dir.resolve("act.npy");
    run(
        "explain",
        "--data",
        "embedded",
        "--model",
        model.toString(),
        "--importance",
        "activation",
        "--limit",
        "30",
        "--out",
        out.toString());
    Dataset test = TestSupport.embedded().test().head(30);
    float[][] kernels = new float[2][];
    float[][] biases = new float[2][];
    try (ServingModel serving = ServingModel.load(model)) {
      for (int l = 0; l < 2; l++) {
        kernels[l] = serving.variable("dense_" + l + "_kernel");
        biases[l] = serving.variable("dense_" + l + "_bias");
      }
    }
    Npy.Array first = Npy.read(dir.resolve("act.hidden_1.npy"));
    Npy.Array second = Npy.read(dir.resolve("act.hidden_2.npy"));
    assertArrayEquals(new long[] {30, 24}, first.shape());
    assertArrayEquals(new long[] {30, 16}, second.shape());
    for (int e = 0; e < 30; e++) {
      float[] a = Arrays.copyOfRange(test.features(), e * 784, (e + 1) * 784);
      for (int l = 0; l < 2; l++) {
        float[] w = kernels[l];
        float[] b = biases[l];
        float[] next = new float[b.length];
        for (int j = 0; j < b.length; j++) {
          double z = b[j];
          for (int i = 0; i < a.length; i++) {
            z += a[i] * w[i * b.length + j];
          }
          next[j] = (float) Math.max(0, z);
        }
        float[] got = (l == 0 ? first : second).data();
        for (int j = 0; j < b.length; j++) {
          assertEquals(
              next[j],
              got[e * b.length + j],
              1e-4f,
              "example " + e + ", layer " + (l + 1) + ", unit " + j);
        }
        a = next;
      }
    }
  }

  /**
   * A CNN export: one column per channel after a convolution or pooling, the channel's summed
   * score.
   */
  /**
   * A recurrent export: each unit's scores at every step beside their sum over the steps, from an
   * LSTM over the images read row by row; LRP is refused where zoneout would need a rule.
   */
  @Test
  void recurrentExportsGiveEveryStepsScoresBesideTheirSum() throws Exception {
    Path lstm = dir.resolve("lstm");
    run(
        "train",
        "--data",
        "embedded",
        "--limit",
        "300",
        "--layers",
        "lstm(units=6,zoneout=0.1)",
        "--epochs",
        "1",
        "--out",
        dir.resolve("lstm-train").toString(),
        "--export",
        lstm.toString());
    Path out = dir.resolve("lstm-grad.npy");
    run(
        "explain",
        "--data",
        "embedded",
        "--model",
        lstm.toString(),
        "--importance",
        "gradient",
        "--limit",
        "5",
        "--out",
        out.toString());
    Npy.Array units = Npy.read(dir.resolve("lstm-grad.hidden_1.npy"));
    Npy.Array steps = Npy.read(dir.resolve("lstm-grad.hidden_1.steps.npy"));
    assertArrayEquals(new long[] {5, 6}, units.shape());
    assertArrayEquals(new long[] {5, 28, 6}, steps.shape(), "examples x steps x units");
    for (int n = 0; n < 5; n++) {
      for (int u = 0; u < 6; u++) {
        double sum = 0;
        for (int t = 0; t < 28; t++) {
          sum += steps.data()[(n * 28 + t) * 6 + u];
        }
        assertEquals(sum, units.data()[n * 6 + u], 1e-5 * (1 + Math.abs(sum)), "summed over time");
      }
    }
    // LRP of the units: the rules do not pass through zoneout, so the LSTM's entry is the
    // relevance of its output (no steps); LRP to the input, which must pass through, is refused.
    run(
        "explain",
        "--data",
        "embedded",
        "--model",
        lstm.toString(),
        "--importance",
        "lrp",
        "--limit",
        "5",
        "--out",
        dir.resolve("lstm-lrp.npy").toString());
    assertArrayEquals(new long[] {5, 6}, Npy.read(dir.resolve("lstm-lrp.hidden_1.npy")).shape());
    assertFalse(Files.exists(dir.resolve("lstm-lrp.hidden_1.steps.npy")));
    StringWriter err = new StringWriter();
    int code =
        Dropwise.run(
            new PrintWriter(err, true),
            "explain",
            "--data",
            "embedded",
            "--model",
            lstm.toString(),
            "--input=lrp",
            "--limit",
            "5",
            "--out",
            dir.resolve("lstm-input.npy").toString());
    assertEquals(2, code, err.toString());
    assertTrue(
        err.toString().contains("LRP through a recurrent layer with zoneout=0.1 is not defined"),
        err.toString());
    assertFalse(Files.exists(dir.resolve("lstm-input.input.npy")), "nothing written");
    // faithfulness's defaults leave LRP out of such a model (and only of such a model).
    try (ServingModel recurrent = ServingModel.load(lstm);
        ServingModel dense = ServingModel.load(model)) {
      assertTrue(FaithfulnessCommand.lrpUndefined(recurrent.network()));
      assertFalse(FaithfulnessCommand.lrpUndefined(dense.network()));
    }
  }

  @Test
  void convolutionalExportsGiveChannelImportance() throws Exception {
    Path cnn = dir.resolve("cnn");
    run(
        "train",
        "--data",
        "embedded",
        "--limit",
        "300",
        "--layers",
        "conv:4x3,pool:2,dense:8",
        "--epochs",
        "1",
        "--dropout",
        "spatial:p=0.1",
        "--out",
        dir.resolve("cnn-train").toString(),
        "--export",
        cnn.toString());
    Path out = dir.resolve("cnn-act.npy");
    run(
        "explain",
        "--data",
        "embedded",
        "--model",
        cnn.toString(),
        "--importance",
        "activation",
        "--limit",
        "5",
        "--out",
        out.toString());
    assertArrayEquals(
        new long[] {5, 4},
        Npy.read(dir.resolve("cnn-act.hidden_1.npy")).shape(),
        "conv: 4 channels");
    assertArrayEquals(
        new long[] {5, 4},
        Npy.read(dir.resolve("cnn-act.hidden_2.npy")).shape(),
        "pool: 4 channels");
    assertArrayEquals(
        new long[] {5, 14 * 14 * 4},
        Npy.read(dir.resolve("cnn-act.hidden_3.npy")).shape(),
        "flatten");
    assertArrayEquals(
        new long[] {5, 8}, Npy.read(dir.resolve("cnn-act.hidden_4.npy")).shape(), "dense");
    float[] kernel;
    float[] bias;
    try (ServingModel serving = ServingModel.load(cnn)) {
      kernel = serving.variable("conv_0_kernel"); // [3, 3, 1, 4]
      bias = serving.variable("conv_0_bias");
    }
    // Reference: |relu(conv3x3 SAME + b)| summed over the 28x28 map, per channel.
    float[] got = Npy.read(dir.resolve("cnn-act.hidden_1.npy")).data();
    Dataset test = TestSupport.embedded().test().head(5);
    for (int e = 0; e < 5; e++) {
      for (int f = 0; f < 4; f++) {
        double total = 0;
        for (int i = 0; i < 28; i++) {
          for (int j = 0; j < 28; j++) {
            double z = bias[f];
            for (int di = 0; di < 3; di++) {
              for (int dj = 0; dj < 3; dj++) {
                int si = i + di - 1;
                int sj = j + dj - 1;
                if (si >= 0 && sj >= 0 && si < 28 && sj < 28) {
                  z += test.features()[e * 784 + si * 28 + sj] * kernel[(di * 3 + dj) * 4 + f];
                }
              }
            }
            total += Math.max(0, z);
          }
        }
        assertEquals(total, got[e * 4 + f], 1e-3 * (1 + total), "example " + e + ", channel " + f);
      }
    }
  }

  /**
   * {@code --input=gradient-x-input --target label}: each pixel's gradient of the label's logit
   * times the pixel, against the chain rule through the exported weights computed here; a class
   * named by index explains the same as that class's name.
   */
  @Test
  void inputRelevanceIsTheGradientTimesInputOfTheExportedWeights() throws Exception {
    Path out = dir.resolve("input.npy");
    run(
        "explain",
        "--data",
        "embedded",
        "--model",
        model.toString(),
        "--input=gradient-x-input",
        "--target",
        "label",
        "--limit",
        "6",
        "--csv",
        "--out",
        out.toString());
    Npy.Array got = Npy.read(dir.resolve("input.input.npy"));
    assertArrayEquals(new long[] {6, 784}, got.shape());
    assertTrue(
        Files.readString(dir.resolve("input.input.csv"))
            .startsWith("input_relevance_0,input_relevance_1,"));
    Dataset test = TestSupport.embedded().test().head(6);
    float[][] w = new float[3][];
    int[] widths = {784, 24, 16, 10};
    try (ServingModel serving = ServingModel.load(model)) {
      for (int l = 0; l < 3; l++) {
        w[l] = serving.variable("dense_" + l + "_kernel");
      }
      float[][] b = new float[3][];
      for (int l = 0; l < 3; l++) {
        b[l] = serving.variable("dense_" + l + "_bias");
      }
      for (int e = 0; e < 6; e++) {
        // Forward, keeping which ReLUs are on; then the gradient back from the label's logit.
        double[][] a = new double[4][];
        a[0] = new double[784];
        for (int i = 0; i < 784; i++) {
          a[0][i] = test.features()[e * 784 + i];
        }
        for (int l = 0; l < 3; l++) {
          a[l + 1] = new double[widths[l + 1]];
          for (int j = 0; j < widths[l + 1]; j++) {
            double z = b[l][j];
            for (int i = 0; i < widths[l]; i++) {
              z += a[l][i] * w[l][i * widths[l + 1] + j];
            }
            a[l + 1][j] = l < 2 ? Math.max(0, z) : z;
          }
        }
        double[] g = new double[10];
        g[test.labels()[e]] = 1;
        for (int l = 2; l >= 0; l--) {
          double[] down = new double[widths[l]];
          for (int j = 0; j < widths[l + 1]; j++) {
            double gj = l < 2 && a[l + 1][j] <= 0 ? 0 : g[j];
            for (int i = 0; i < widths[l]; i++) {
              down[i] += w[l][i * widths[l + 1] + j] * gj;
            }
          }
          g = down;
        }
        double scale = 0;
        for (int i = 0; i < 784; i++) {
          scale = Math.max(scale, Math.abs(g[i] * a[0][i]));
        }
        for (int i = 0; i < 784; i++) {
          assertEquals(
              g[i] * a[0][i], got.data()[e * 784 + i], 1e-5 * scale, "example " + e + ", " + i);
        }
      }
      String name = serving.classNames().get(3);
      run(explainClass("3", "by-index"));
      run(explainClass(name, "by-name"));
    }
    assertArrayEquals(
        Npy.read(dir.resolve("by-index.input.npy")).data(),
        Npy.read(dir.resolve("by-name.input.npy")).data());
  }

  /**
   * {@code faithfulness}: the random floor and each attribution, both orders' curves starting at
   * the unperturbed probability and ending at the all-baseline one, AOPC the mean drop of its
   * curve, a randomisation step per layer from the top.
   */
  @Test
  void faithfulnessWritesCurvesAndTheCascade() throws Exception {
    Path out = dir.resolve("faith");
    run(
        "faithfulness",
        "--data",
        "embedded",
        "--model",
        model.toString(),
        "--attributions",
        "gradient-x-input;lrp:composite=epsilon",
        "--limit",
        "20",
        "--steps",
        "4",
        "--units",
        "activation;grad-cam",
        "--out",
        out.toString());
    List<String> units = Files.readAllLines(out.resolve("units.csv"));
    assertEquals("measure,order,share_removed,accuracy", units.get(0));
    assertEquals(1 + 3 * 2 * 12, units.size(), "random and 2 measures, 2 orders, 12 shares");
    assertTrue(units.get(1).startsWith("\"random\",MoRF,0.0000,"), units.get(1));
    List<String> summary = Files.readAllLines(out.resolve("summary.csv"));
    assertEquals("attribution,aopc_morf,aopc_lerf,gap,spearman_all_random", summary.get(0));
    assertEquals(4, summary.size());
    assertTrue(summary.get(1).startsWith("\"random\","), summary.get(1));
    List<String> curves = Files.readAllLines(out.resolve("curves.csv"));
    assertEquals("attribution,order,share,probability", curves.get(0));
    assertEquals(1 + 3 * 2 * 5, curves.size(), "3 rankings x 2 orders x 5 points");
    double[][] p = new double[6][5];
    for (int curve = 0; curve < 6; curve++) {
      for (int k = 0; k < 5; k++) {
        String[] cells = curves.get(1 + curve * 5 + k).split(",");
        assertEquals(curve % 2 == 0 ? "MoRF" : "LeRF", cells[1]);
        assertEquals(k / 4.0, Double.parseDouble(cells[2]), 1e-9);
        p[curve][k] = Double.parseDouble(cells[3]);
      }
    }
    for (int a = 0; a < 3; a++) {
      assertEquals(p[2 * a][0], p[2 * a + 1][0], "both orders start unperturbed");
      assertEquals(p[2 * a][4], p[2 * a + 1][4], "and end with every feature replaced");
      String[] row = summary.get(1 + a).split(",");
      for (int order = 0; order < 2; order++) {
        double aopc = 0;
        for (double v : p[2 * a + order]) {
          aopc += (p[2 * a + order][0] - v) / 5;
        }
        assertEquals(aopc, Double.parseDouble(row[1 + order]), 2e-4, summary.get(1 + a));
      }
    }
    List<String> cascade = Files.readAllLines(out.resolve("randomisation.csv"));
    assertEquals(
        1 + 2 * 3, cascade.size(), "three Dense layers randomised in turn, per attribution");
    assertTrue(cascade.get(1).startsWith("\"gradient-x-input\",1,dense_2,"), cascade.get(1));
    assertTrue(cascade.get(3).startsWith("\"gradient-x-input\",3,dense_2 dense_1 dense_0,"));
  }

  private static String[] explainClass(String target, String out) {
    return new String[] {
      "explain",
      "--data",
      "embedded",
      "--model",
      model.toString(),
      "--input",
      "--target",
      target,
      "--limit",
      "3",
      "--out",
      dir.resolve(out + ".npy").toString()
    };
  }

  @Test
  void lrpScoresGoToNpyAndCsv() throws Exception {
    Path out = dir.resolve("lrp.npy");
    run(
        "explain",
        "--data",
        "embedded",
        "--model",
        model.toString(),
        "--importance",
        "lrp-eps",
        "--limit",
        "12",
        "--out",
        out.toString(),
        "--csv");
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
    int code =
        Dropwise.run(
            new PrintWriter(err, true),
            "explain",
            "--data",
            "embedded",
            "--model",
            model.toString(),
            "--importance",
            "saliency");
    assertEquals(2, code);
    assertTrue(
        err.toString().contains("--importance saliency: unknown importance 'saliency'"),
        err.toString());
  }
}
