package dev.dropwise.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code dropwise uncertainty} on an export: its numbers tie out with {@code predict}'s on the same
 * examples, its files hold what it printed, and bad input is refused before any work.
 */
class UncertaintyCommandTest {
  @TempDir static Path dir;
  static Path model;
  static Path noise;

  @BeforeAll
  static void exportAndWriteNoise() throws Exception {
    model = dir.resolve("model");
    YourOwnDataCliTest.Outcome trained = train(model);
    assertEquals(0, trained.code(), trained.err());
    // Out-of-distribution examples: uniform noise over the pixel range, and a table too narrow.
    Process p =
        new ProcessBuilder(
                "/usr/bin/python3",
                "-c",
                """
                import numpy as np
                r = np.random.default_rng(0)
                np.save('noise_x.npy', r.uniform(0, 255, (300, 784)).astype(np.float32))
                np.save('noise_y.npy', np.arange(300) % 2)
                np.save('narrow_x.npy', r.uniform(0, 255, (300, 100)).astype(np.float32))
                """)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), out);
    noise = dir.resolve("noise_x.npy");
  }

  /**
   * The model of these tests: 64-32 with standard dropout, one epoch on 800 embedded images (seed
   * 1), exported to {@code export} (its history beside it), with {@code extra} options.
   */
  static YourOwnDataCliTest.Outcome train(Path export, String... extra) {
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "train",
                "--data",
                "embedded",
                "--limit",
                "800",
                "--epochs",
                "1",
                "--layers",
                "64,32",
                "--dropout",
                "standard:p=0.5",
                "--export",
                export.toString(),
                "--out",
                export.resolveSibling("run-" + export.getFileName()).toString()));
    args.addAll(List.of(extra));
    return YourOwnDataCliTest.run(args.toArray(String[]::new));
  }

  static String npy(String x) {
    return "npy:" + dir.resolve(x) + "," + dir.resolve("noise_y.npy");
  }

  @Test
  void measuresTieOutWithPredictAndTheFilesHoldThem() throws IOException {
    Path out = dir.resolve("u");
    YourOwnDataCliTest.Outcome u =
        YourOwnDataCliTest.run(
            "uncertainty",
            "--data",
            "embedded",
            "--model",
            model.toString(),
            "--mc",
            "10",
            "--limit",
            "200",
            "--ood",
            npy("noise_x.npy"),
            "--out",
            out.toString());
    assertEquals(0, u.code(), u.err());
    List<String> rows = Files.readAllLines(out.resolve("measures.csv"));
    assertEquals(3, rows.size(), "a header, serving_default and mc_dropout");
    List<String> header = Arrays.asList(rows.get(0).split(",", -1));
    String[] plain = rows.get(1).split(",", -1);
    String[] mc = rows.get(2).split(",", -1);
    assertEquals("serving_default", plain[0]);
    assertEquals("mc_dropout (T=10)", mc[0]);
    // predict on the same 200 examples, deterministic and with the same 10 passes (seeds 0..9).
    assertEquals(accuracy("--limit", "200"), value(plain, header, "accuracy"), 1e-12);
    assertEquals(accuracy("--limit", "200", "--mc", "10"), value(mc, header, "accuracy"), 1e-12);
    assertEquals("", plain[header.indexOf("ood_auroc_mutual_information")], "MI needs passes");
    double auroc = value(mc, header, "ood_auroc_mutual_information");
    assertTrue(auroc > 0.5, "noise is less familiar than the test images: " + auroc);
    // serving_default's bins and AURC, again from predict's probabilities of the same examples.
    Path predicted = dir.resolve("plain-predictions.csv");
    assertEquals(
        0,
        YourOwnDataCliTest.run(
                "predict",
                "--data",
                "embedded",
                "--model",
                model.toString(),
                "--limit",
                "200",
                "--out",
                predicted.toString())
            .code());
    List<String[]> rowsOf =
        Files.readAllLines(predicted).stream().skip(1).map(l -> l.split(",")).toList();
    double[] confidence = new double[200];
    boolean[] right = new boolean[200];
    int[] perBin = new int[15];
    for (int i = 0; i < 200; i++) {
      String[] r = rowsOf.get(i);
      for (int c = 0; c < 10; c++) {
        confidence[i] = Math.max(confidence[i], Double.parseDouble(r[3 + c]));
      }
      right[i] = r[1].equals(r[2]);
      perBin[Math.max(0, Math.min(14, (int) Math.ceil(confidence[i] * 15) - 1))]++;
    }
    for (String line : Files.readAllLines(out.resolve("reliability.csv"))) {
      if (!line.startsWith("serving_default,")) {
        continue;
      }
      String[] b = line.split(",");
      int bin = (int) Math.round(Double.parseDouble(b[1]) * 15);
      assertEquals(perBin[bin], Integer.parseInt(b[3]), "bin " + bin);
      perBin[bin] = 0;
    }
    assertEquals(0, Arrays.stream(perBin).sum(), "every non-empty bin is written");
    // AURC: refusing the least confident first, ties together; the mean risk over the coverages.
    double area = 0;
    for (int i = 0; i < 200; i++) {
      int kept = 0;
      int wrong = 0;
      for (int j = 0; j < 200; j++) {
        if (confidence[j] >= confidence[i]) {
          kept++;
          wrong += right[j] ? 0 : 1;
        }
      }
      area += (double) wrong / kept / 200;
    }
    assertEquals(area, value(plain, header, "aurc"), 1e-9);
    assertTrue(
        u.out().contains(String.format(Locale.ROOT, "%.4f", value(plain, header, "ece"))), u.out());
  }

  private static double value(String[] row, List<String> header, String measure) {
    return Double.parseDouble(row[header.indexOf(measure)]);
  }

  /** The accuracy {@code predict} reports on the embedded test set with {@code options}. */
  private static double accuracy(String... options) {
    Path csv = dir.resolve("p" + Math.abs(Arrays.hashCode(options)) + ".csv");
    List<String> args =
        new java.util.ArrayList<>(
            List.of("predict", "--data", "embedded", "--model", model.toString()));
    args.addAll(List.of(options));
    args.addAll(List.of("--out", csv.toString()));
    YourOwnDataCliTest.Outcome p = YourOwnDataCliTest.run(args.toArray(String[]::new));
    assertEquals(0, p.code(), p.err());
    String line =
        p.out().lines().filter(l -> l.startsWith("accuracy of the")).findFirst().orElseThrow();
    return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
  }

  /**
   * train --calibrate exports serving_default with its logits divided by the fitted temperature:
   * the same run without it, exported plain, has logits T times those, example by example.
   */
  @Test
  void aCalibratedExportDividesItsLogitsByTheTemperatureItRecords() throws IOException {
    Path calibrated = dir.resolve("calibrated");
    Path plain = dir.resolve("plain");
    for (Path export : List.of(calibrated, plain)) {
      YourOwnDataCliTest.Outcome trained =
          export == calibrated ? train(export, "--calibrate") : train(export);
      assertEquals(0, trained.code(), trained.err());
      if (export == calibrated) {
        assertTrue(
            trained.out().contains("temperature scaling on the validation split"), trained.out());
      }
    }
    double t =
        dev.dropwise.util.Json.MAPPER
            .readTree(calibrated.resolve(dev.dropwise.export.SavedModelExport.METADATA).toFile())
            .get("temperature")
            .asDouble();
    assertTrue(t > 0 && t != 1, "a temperature is recorded: " + t);
    double[][] logits = new double[2][];
    for (int m = 0; m < 2; m++) {
      Path csv = dir.resolve("logits" + m + ".csv");
      Path model = m == 0 ? calibrated : plain;
      YourOwnDataCliTest.Outcome p =
          YourOwnDataCliTest.run(
              "predict",
              "--data",
              "embedded",
              "--model",
              model.toString(),
              "--limit",
              "20",
              "--out",
              csv.toString());
      assertEquals(0, p.code(), p.err());
      logits[m] =
          Files.readAllLines(csv).stream()
              .skip(1)
              .flatMap(l -> Arrays.stream(l.split(",")).skip(3 + 10))
              .mapToDouble(Double::parseDouble)
              .toArray();
    }
    assertEquals(200, logits[0].length);
    for (int i = 0; i < 200; i++) {
      assertEquals(logits[1][i] / t, logits[0][i], 1e-5 * Math.max(1, Math.abs(logits[0][i])));
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "--calibrate                    | --calibrate fits a temperature for the exported model: give --export DIR",
        "--calibrate --val-fraction 0 --export X | --val-fraction 0 leaves none",
        "--calibrate --val-fraction 0.001 --export X | --val-fraction 0.001 of 300 training examples leaves none",
      })
  void calibrationWithoutAnExportOrAValidationSplitIsRefused(String options, String expected) {
    List<String> args =
        new java.util.ArrayList<>(
            List.of("train", "--data", "embedded", "--limit", "300", "--epochs", "1"));
    for (String o : options.split(" ")) {
      args.add(o.equals("X") ? dir.resolve("never").toString() : o);
    }
    args.addAll(List.of("--out", dir.resolve("never-run").toString()));
    YourOwnDataCliTest.Outcome u = YourOwnDataCliTest.run(args.toArray(String[]::new));
    assertEquals(2, u.code(), u.err());
    assertTrue(u.err().contains(expected), u.err());
    assertFalse(Files.exists(dir.resolve("never")), "nothing exported");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "--mc 0          | --mc 0: Monte Carlo samples=0 is not allowed: must be >= 2",
        "--mc -3         | --mc -3: Monte Carlo samples=-3 is not allowed: must be >= 2",
        "--limit 0       | --limit 0 is not allowed: must be >= 1",
        "--ood NARROW    | its examples have 100 features but the model takes 784",
        "--ood /no/where | --ood /no/where: no such directory",
      })
  void badInputIsRefusedBeforeAnyWork(String option, String expected) {
    Path out = dir.resolve("refused");
    String[] pair = option.split(" ");
    String value = pair[1].equals("NARROW") ? npy("narrow_x.npy") : pair[1];
    YourOwnDataCliTest.Outcome u =
        YourOwnDataCliTest.run(
            "uncertainty",
            "--data",
            "embedded",
            "--model",
            model.toString(),
            pair[0],
            value,
            "--out",
            out.toString());
    assertEquals(2, u.code(), u.err());
    assertTrue(u.err().contains(expected), u.err());
    assertFalse(Files.exists(out), "nothing written");
  }
}
