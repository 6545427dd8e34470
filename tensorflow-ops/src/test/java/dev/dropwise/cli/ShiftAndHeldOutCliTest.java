package dev.dropwise.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dropwise.analysis.UncertaintyEvaluation;
import dev.dropwise.data.DataSpec;
import dev.dropwise.data.Dataset;
import dev.dropwise.data.Preprocessing;
import dev.dropwise.data.Shift;
import dev.dropwise.export.MonteCarlo;
import dev.dropwise.export.ServingModel;
import dev.dropwise.util.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code train --ood-classes} and {@code uncertainty}'s held-out classes and {@code --shifts}: the
 * export records the classes, uncertainty takes their test images as the unknown inputs, the
 * measures under shift are those of the shifted images through the export, bad input is refused
 * before any work.
 */
class ShiftAndHeldOutCliTest {
  @TempDir static Path dir;
  static Path model;
  static YourOwnDataCliTest.Outcome trained;

  /** {@link UncertaintyCommandTest}'s model, trained without classes 8 and 9. */
  @BeforeAll
  static void trainWithoutTwoClasses() {
    model = dir.resolve("model");
    trained = UncertaintyCommandTest.train(model, "--ood-classes", "Bag,9");
    assertEquals(0, trained.code(), trained.err());
  }

  /** The embedded test set as the export takes it (unscaled), every class. */
  static Dataset rawTest() throws Exception {
    return DataSpec.of("embedded").withScale(Preprocessing.Scale.NONE).load().test();
  }

  static YourOwnDataCliTest.Outcome uncertainty(Path out, String... options) {
    List<String> args = new ArrayList<>(List.of("uncertainty", "--model", model.toString()));
    if (!List.of(options).contains("--data")) {
      args.addAll(List.of("--data", "embedded"));
    }
    args.addAll(List.of(options));
    args.addAll(List.of("--out", out.toString()));
    return YourOwnDataCliTest.run(args.toArray(String[]::new));
  }

  @Test
  void theHeldOutClassesTestImagesAreTheUnknownInputs() throws Exception {
    JsonNode metadata = Json.MAPPER.readTree(model.resolve("dropwise-model.json").toFile());
    assertEquals("[\"Bag\",\"Ankle boot\"]", metadata.get("oodClasses").toString());
    Dataset raw = rawTest();
    int[] known = IntStream.range(0, raw.size()).filter(i -> raw.labels()[i] < 8).toArray();
    int[] unknown = IntStream.range(0, raw.size()).filter(i -> raw.labels()[i] >= 8).toArray();
    assertTrue(
        trained.out().contains("(" + known.length + " examples, dropout off)"), trained.out());

    Path out = dir.resolve("held");
    YourOwnDataCliTest.Outcome u = uncertainty(out, "--mc", "5");
    assertEquals(0, u.code(), u.err());
    assertTrue(
        u.out().contains("out-of-distribution examples: the test set's classes 8 (Bag), 9 (Ankle"),
        u.out());
    assertTrue(u.out().contains(known.length + " test examples:"), u.out());
    // AUROC of the max probability, counted pair by pair here from the export's probabilities.
    double[] inside;
    double[] outside;
    try (ServingModel serving = ServingModel.load(model)) {
      inside = confidences(serving, raw.select(known));
      outside = confidences(serving, raw.select(unknown));
    }
    double pairs = 0;
    for (double a : inside) {
      for (double b : outside) {
        pairs += a > b ? 1 : a == b ? 0.5 : 0; // the unknown one less certain: detected
      }
    }
    List<String> rows = Files.readAllLines(out.resolve("measures.csv"));
    List<String> header = Arrays.asList(rows.get(0).split(","));
    String[] plain = rows.get(1).split(",", -1);
    assertEquals(
        pairs / inside.length / outside.length,
        Double.parseDouble(plain[header.indexOf("ood_auroc_max_probability")]),
        1e-12);
  }

  private static double[] confidences(ServingModel serving, Dataset data) {
    ServingModel.Prediction p = serving.predict(data.features(), data.size());
    double[] out = new double[data.size()];
    for (int i = 0; i < out.length; i++) {
      for (int c = 0; c < p.classes(); c++) {
        out[i] = Math.max(out[i], p.probabilities()[i * p.classes() + c]);
      }
    }
    return out;
  }

  @Test
  void measuresUnderShiftAreThoseOfTheShiftedImages() throws Exception {
    Path out = dir.resolve("shifts");
    YourOwnDataCliTest.Outcome u =
        uncertainty(out, "--mc", "4", "--limit", "150", "--shifts", "contrast,rotation");
    assertEquals(0, u.code(), u.err());
    List<String> rows = Files.readAllLines(out.resolve("shifts.csv"));
    assertEquals(
        "shift,severity,level,predictor,accuracy,nll,brier,ece", rows.get(0), "the header");
    assertEquals(1 + 2 * (1 + Shift.SEVERITIES) * 2, rows.size(), "2 shifts, 6 severities, 2");
    List<String> measures = Files.readAllLines(out.resolve("measures.csv"));
    List<String> header = Arrays.asList(measures.get(0).split(","));
    Dataset raw = rawTest();
    Dataset known =
        raw.select(IntStream.range(0, raw.size()).filter(i -> raw.labels()[i] < 8).toArray())
            .head(150);
    try (ServingModel serving = ServingModel.load(model)) {
      for (String line : rows.subList(1, rows.size())) {
        String[] r = line.split(",");
        int severity = Integer.parseInt(r[1]);
        double accuracy = Double.parseDouble(r[4]);
        String[] unshifted = measures.get(r[3].equals("serving_default") ? 1 : 2).split(",");
        if (severity == 0) {
          for (int k = 0; k < UncertaintyOutput.SHIFT_MEASURES.size(); k++) {
            String m = UncertaintyOutput.SHIFT_MEASURES.get(k);
            assertEquals(
                unshifted[header.indexOf(m)], r[4 + k], "severity 0 is the test set: " + m);
          }
        } else if (r[3].startsWith("mc_dropout")) {
          Shift shift = Shift.valueOf(r[0].toUpperCase(java.util.Locale.ROOT));
          Dataset shifted =
              shift.apply(known, List.of(28, 28, 1), severity, UncertaintyEvaluation.SHIFT_SEED);
          MonteCarlo mc = serving.predictMonteCarlo(shifted.features(), shifted.size(), 4);
          assertEquals(accuracyOf(mc.mean(), shifted), accuracy, 1e-12, line);
        } else if (r[3].equals("serving_default")) {
          Shift shift = Shift.valueOf(r[0].toUpperCase(java.util.Locale.ROOT));
          assertEquals(shift.level(severity), Double.parseDouble(r[2]));
          Dataset shifted =
              shift.apply(known, List.of(28, 28, 1), severity, UncertaintyEvaluation.SHIFT_SEED);
          ServingModel.Prediction p = serving.predict(shifted.features(), shifted.size());
          assertEquals(accuracyOf(p.probabilities(), shifted), accuracy, 1e-12, line);
        }
      }
    }
    assertTrue(u.out().contains("under shift (severity 0: the test set as it is):"), u.out());
  }

  /**
   * --ood-classes names other classes than the export recorded: their images are the unknown ones,
   * and the recorded classes, never learned, are in neither set; with --ood the recorded classes
   * need no test image.
   */
  @Test
  void namedClassesAreUnknownAndTheRecordedOnesLeaveTheTestSet() throws Exception {
    YourOwnDataCliTest.Outcome u =
        uncertainty(dir.resolve("named"), "--mc", "3", "--ood-classes", "Sneaker");
    assertEquals(0, u.code(), u.err());
    Dataset raw = rawTest();
    long known = Arrays.stream(raw.labels()).filter(l -> l < 7).count();
    assertTrue(u.out().contains("the test set's classes 7 (Sneaker)"), u.out());
    assertTrue(u.out().contains(known + " test examples:"), u.out());
    YourOwnDataCliTest.Outcome flat =
        uncertainty(
            dir.resolve("flat-ood"),
            "--mc",
            "3",
            "--data",
            flatSource(),
            "--ood",
            "npy:" + dir.resolve("flat.npy") + "," + dir.resolve("flat-y.npy"));
    assertEquals(0, flat.code(), flat.err());
  }

  /** The share of {@code data}'s examples whose most probable class is their label. */
  private static double accuracyOf(float[] probabilities, Dataset data) {
    int classes = probabilities.length / data.size();
    int right = 0;
    for (int i = 0; i < data.size(); i++) {
      int best = 0;
      for (int c = 1; c < classes; c++) {
        best = probabilities[i * classes + c] > probabilities[i * classes + best] ? c : best;
      }
      right += best == data.labels()[i] ? 1 : 0;
    }
    return (double) right / data.size();
  }

  /**
   * {@code npy:} data of twenty examples of 784 zeros, not images, labels 0 and 1 (written once).
   */
  static String flatSource() throws Exception {
    Path noise = dir.resolve("flat.npy");
    if (!Files.exists(noise)) {
      Process p =
          new ProcessBuilder(
                  "/usr/bin/python3",
                  "-c",
                  "import numpy as np; np.save('flat.npy', np.zeros((20, 784), np.float32));"
                      + " np.save('flat-y.npy', np.arange(20) % 2)")
              .directory(dir.toFile())
              .inheritIO()
              .start();
      assertEquals(0, p.waitFor());
    }
    return "npy:" + noise + "," + dir.resolve("flat-y.npy");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "uncertainty --ood-classes 12 | --ood-classes 12: '12' is not one of the model's classes",
        "uncertainty --ood-classes Bag,Bag | --ood-classes Bag,Bag: 'Bag' is given twice",
        "uncertainty --ood-classes 3 --ood NOISE | and --ood-classes 3: give one source",
        "uncertainty --shifts fog | --shifts fog: 'fog' is not a shift; the shifts are noise, blur",
        "uncertainty --shifts all --data NOISE | --shifts all: the shifts work on images",
        // Data of two classes, 0 and 1: the held-out classes have no test image there.
        "uncertainty --data NOISE | the test set has no example of classes 8 (Bag), 9 (Ankle boot), which the model was trained without (its oodClasses)",
        "uncertainty --data NOISE --ood-classes 3 | --ood-classes 3: the test set has no example of classes 3 (Dress)",
        "uncertainty --data NOISE --ood-classes 0,1 | the test set has no example of a class the model knows, beside classes 0",
        "train --ood-classes Frog | --ood-classes Frog: 'Frog' is not one of the training data's",
        "train --ood-classes 3, | --ood-classes 3,: '' is not one of the training data's",
        "uncertainty --mc-masks both | --mc-masks both: must be independent or shared",
        "uncertainty --mc-sampling sometimes | --mc-sampling sometimes: must be frozen or live",
        "uncertainty --mc-sampling live | --mc-sampling live: this model has no live Monte Carlo passes",
      })
  void badInputIsRefusedBeforeAnyWork(String options, String expected) throws Exception {
    String source = flatSource();
    Path out = dir.resolve("refused");
    List<String> args = new ArrayList<>();
    String[] words = options.split(" ");
    args.add(words[0]);
    if (words[0].equals("uncertainty")) {
      args.addAll(List.of("--model", model.toString()));
      if (!options.contains("--data")) {
        args.addAll(List.of("--data", "embedded"));
      }
    } else {
      args.addAll(List.of("--data", "embedded", "--export", out.resolve("m").toString()));
    }
    for (String w : Arrays.copyOfRange(words, 1, words.length)) {
      args.add(w.equals("NOISE") ? source : w);
    }
    args.addAll(List.of("--out", out.toString()));
    YourOwnDataCliTest.Outcome r = YourOwnDataCliTest.run(args.toArray(String[]::new));
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains(expected), r.err());
    assertFalse(Files.exists(out), "nothing written");
  }
}
