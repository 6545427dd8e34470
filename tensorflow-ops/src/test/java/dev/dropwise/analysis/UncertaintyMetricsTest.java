package dev.dropwise.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The measures of calibration, selective prediction and out-of-distribution detection against
 * scikit-learn (Debian's python3-sklearn, installed by .ci/run) and NumPy on predictions made here
 * and written to a file both read; and the cases whose values are known in closed form.
 */
class UncertaintyMetricsTest {
  @TempDir Path dir;

  static final int COUNT = 500;
  static final int CLASSES = 4;

  /**
   * Softmax outputs of a model that is right about 70% of the time and a little overconfident;
   * examples 250 to 349 repeat the outputs of 0 to 99 with labels of their own, so that confidences
   * tie.
   */
  static Predictions made(long seed) {
    Random r = new Random(seed);
    float[] p = new float[COUNT * CLASSES];
    int[] labels = new int[COUNT];
    for (int i = 0; i < COUNT; i++) {
      labels[i] = r.nextInt(CLASSES);
      if (i >= 250 && i < 350) {
        System.arraycopy(p, (i - 250) * CLASSES, p, i * CLASSES, CLASSES);
        continue;
      }
      double[] z = new double[CLASSES];
      double total = 0;
      for (int c = 0; c < CLASSES; c++) {
        z[c] = Math.exp(r.nextGaussian() + (c == labels[i] ? 1.5 : 0));
        total += z[c];
      }
      for (int c = 0; c < CLASSES; c++) {
        p[i * CLASSES + c] = (float) (z[c] / total);
      }
    }
    return new Predictions(p, labels, CLASSES);
  }

  /** Runs {@code program} with NumPy and scikit-learn in {@code dir}; its "key value" lines. */
  Map<String, Double> python(String program) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(
                "/usr/bin/python3",
                "-c",
                "import numpy as np\nfrom sklearn import metrics, calibration\n" + program)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), out);
    Map<String, Double> values = new HashMap<>();
    for (String line : out.strip().split("\n")) {
      String[] kv = line.trim().split(" ");
      values.put(kv[0], Double.parseDouble(kv[1]));
    }
    return values;
  }

  @Test
  void accuracyLikelihoodBrierCalibrationAndAurcAreScikitLearnsAndNumPys() throws Exception {
    Predictions p = made(3);
    StringBuilder table = new StringBuilder();
    for (int i = 0; i < COUNT; i++) {
      table.append(p.labels()[i]);
      for (int c = 0; c < CLASSES; c++) {
        table.append(' ').append((double) p.p(i, c)); // the float's exact value
      }
      table.append('\n');
    }
    Files.writeString(dir.resolve("p.txt"), table);
    Map<String, Double> sk =
        python(
            """
            d = np.loadtxt('p.txt')
            y = d[:, 0].astype(int); P = d[:, 1:]; n, C = P.shape
            pred = P.argmax(axis=1); conf = P.max(axis=1); correct = (pred == y).astype(float)
            print('accuracy', repr(metrics.accuracy_score(y, pred)))
            print('nll', repr(metrics.log_loss(y, P, labels=list(range(C)))))
            print('brier', repr(sum(metrics.brier_score_loss((y == c).astype(int), P[:, c]) for c in range(C))))
            true, mean = calibration.calibration_curve(correct, conf, n_bins=15, strategy='uniform')
            counts = np.bincount(np.searchsorted(np.linspace(0, 1, 16)[1:-1], conf), minlength=15)
            counts = counts[counts > 0]
            print('ece', repr(float(np.sum(counts / n * np.abs(true - mean)))))
            print('bins', len(counts))
            groups = np.array_split(np.argsort(conf, kind='stable'), 15)
            print('aece', repr(float(sum(len(g) / n * abs(correct[g].mean() - conf[g].mean()) for g in groups))))
            # Ties kept or refused together: each example has the risk of all up to its group.
            groups, group = np.unique(1 - conf, return_inverse=True)
            kept_errors = np.cumsum(np.bincount(group, weights=1 - correct))
            kept = np.cumsum(np.bincount(group))
            print('aurc', repr(float((kept_errors[group] / kept[group]).mean())))
            print('ties', len(conf) - len(groups))
            """);
    assertEquals(sk.get("accuracy"), p.accuracy(), 1e-12);
    // log_loss renormalises each row, which float32 rows miss summing to 1 by ~1e-7.
    assertEquals(sk.get("nll"), p.negativeLogLikelihood(), 1e-6);
    assertEquals(sk.get("brier"), p.brier(), 1e-12);
    assertEquals(sk.get("bins").intValue(), Calibration.equalWidth(p, 15).size());
    assertEquals(sk.get("ece"), Calibration.expectedError(p), 1e-12);
    assertEquals(sk.get("aece"), Calibration.adaptiveError(p), 1e-12);
    assertEquals(sk.get("aurc"), SelectivePrediction.byConfidence(p).area(), 1e-12);
    assertTrue(sk.get("ties") >= 100, "the data has ties: " + sk.get("ties"));
    assertTrue(Calibration.expectedError(p) > 0.01, "these outputs are miscalibrated");
  }

  /** The curve does not depend on the order of the examples, ties included. */
  @Test
  void theRiskCoverageCurveIsTheSameInAnyOrder() {
    Predictions p = made(3);
    int[] order = dev.dropwise.data.Dataset.permutation(COUNT, 9);
    float[] shuffled = new float[COUNT * CLASSES];
    int[] labels = new int[COUNT];
    for (int i = 0; i < COUNT; i++) {
      System.arraycopy(p.probabilities(), order[i] * CLASSES, shuffled, i * CLASSES, CLASSES);
      labels[i] = p.labels()[order[i]];
    }
    SelectivePrediction.Curve a = SelectivePrediction.byConfidence(p);
    SelectivePrediction.Curve b =
        SelectivePrediction.byConfidence(new Predictions(shuffled, labels, CLASSES));
    org.junit.jupiter.api.Assertions.assertArrayEquals(a.risk(), b.risk());
    assertEquals(a.area(), b.area(), 0);
  }

  @Test
  void detectionAurocAndFalsePositivesAt95AreScikitLearnsTiesIncluded() throws Exception {
    Random r = new Random(5);
    double[] inside = new double[300];
    double[] outside = new double[120];
    for (int i = 0; i < inside.length; i++) {
      inside[i] = Math.round(r.nextGaussian() * 20) / 20.0; // ties on a grid of 0.05
    }
    for (int i = 0; i < outside.length; i++) {
      outside[i] = Math.round((r.nextGaussian() + 1) * 20) / 20.0;
    }
    Files.writeString(dir.resolve("in.txt"), join(inside));
    Files.writeString(dir.resolve("out.txt"), join(outside));
    Map<String, Double> sk =
        python(
            """
            a = np.loadtxt('in.txt'); b = np.loadtxt('out.txt'); s = np.r_[a, b]
            print('auroc', repr(metrics.roc_auc_score(np.r_[np.zeros(len(a)), np.ones(len(b))], s)))
            fpr, tpr, _ = metrics.roc_curve(np.r_[np.ones(len(a)), np.zeros(len(b))], -s, drop_intermediate=False)
            print('fpr95', repr(float(fpr[np.argmax(tpr >= 0.95)])))
            """);
    assertEquals(sk.get("auroc"), OodDetection.auroc(inside, outside), 1e-12);
    assertEquals(sk.get("fpr95"), OodDetection.falsePositivesAt95(inside, outside), 1e-12);
  }

  private static String join(double[] values) {
    StringBuilder b = new StringBuilder();
    for (double v : values) {
      b.append(v).append('\n');
    }
    return b.toString();
  }

  @Test
  void closedFormCases() {
    // Certain and right: NLL at the clip, Brier 0, ECE 0, every risk 0.
    Predictions right = new Predictions(new float[] {1, 0, 0, 1}, new int[] {0, 1}, 2);
    assertEquals(-Math.log(1 - Predictions.LOG_FLOOR), right.negativeLogLikelihood(), 1e-15);
    assertEquals(0, right.brier(), 0);
    assertEquals(0, Calibration.expectedError(right), 0);
    assertEquals(0, SelectivePrediction.byConfidence(right).area(), 0);
    // Certain and wrong: the clip bounds the NLL at -ln(eps), Brier is 2, ECE is 1.
    Predictions wrong = new Predictions(new float[] {0, 1}, new int[] {0}, 2);
    assertEquals(-Math.log(Predictions.LOG_FLOOR), wrong.negativeLogLikelihood(), 1e-12);
    assertEquals(2, wrong.brier(), 0);
    assertEquals(1, Calibration.expectedError(wrong), 0);
    // Refusing the one wrong, least certain example first: risks 0, 0, 1/3; AURC 1/9.
    Predictions three =
        new Predictions(new float[] {0.9f, 0.1f, 0.8f, 0.2f, 0.4f, 0.6f}, new int[] {0, 0, 0}, 2);
    SelectivePrediction.Curve curve = SelectivePrediction.byConfidence(three);
    assertEquals(
        List.of(0.0, 0.0, 1.0 / 3), List.of(curve.risk()[0], curve.risk()[1], curve.risk()[2]));
    assertEquals(1.0 / 9, curve.area(), 1e-15);
    // Perfect separation, and none.
    assertEquals(1, OodDetection.auroc(new double[] {0, 0.1}, new double[] {0.5, 0.7}), 0);
    assertEquals(0.5, OodDetection.auroc(new double[] {0.3, 0.3}, new double[] {0.3}), 0);
    assertEquals(0, OodDetection.falsePositivesAt95(new double[] {0, 0.1}, new double[] {0.5}), 0);
  }

  @Test
  void badTablesAreRefused() {
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () -> new Predictions(new float[5], new int[] {0, 1}, 2))
            .getMessage()
            .contains("5 probabilities for 2 examples of 2 classes"));
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () -> new Predictions(new float[4], new int[] {0, 2}, 2))
            .getMessage()
            .contains("label 2 is not a class"));
    assertThrows(
        IllegalArgumentException.class, () -> OodDetection.auroc(new double[0], new double[1]));
  }
}
