package dev.dropwise.cli;

import dev.dropwise.analysis.Explainer;
import dev.dropwise.data.ClassificationData;
import dev.dropwise.data.Dataset;
import dev.dropwise.data.Npy;
import dev.dropwise.export.ServingModel;
import dev.dropwise.importance.ImportanceSpec;
import dev.dropwise.importance.InputAttribution;
import dev.dropwise.importance.InputAttributions;
import dev.dropwise.model.ModelSpec;
import dev.dropwise.util.AtomicFiles;
import dev.dropwise.util.Errors;
import dev.dropwise.util.OutputFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "explain",
    mixinStandardHelpOptions = true,
    description =
        "Importance of every hidden unit (channel, after a convolution or pooling) of an exported model on each example, one .npy (examples x units) per hidden layer; "
            + "with --input, the relevance of every input feature (pixel) instead, one .npy (examples x features).")
final class ExplainCommand implements Callable<Integer> {
  @Mixin DataOption data = new DataOption();

  @Mixin ModelDirOption model = new ModelDirOption();

  @Option(
      names = "--importance",
      description =
          "An importance measure of hidden units, settings after ':' (e.g. lrp-eps:epsilon=0.01,target=label, conductance:steps=16); "
              + "'dropwise methods' lists them all. Default: "
              + DEFAULT_IMPORTANCE)
  String importance;

  static final String DEFAULT_IMPORTANCE = "lrp-eps";

  @Option(
      names = "--input",
      arity = "0..1",
      fallbackValue = "lrp",
      paramLabel = "ATTRIBUTION",
      description =
          "Explain the input instead: an input attribution, settings after ':' (lrp[:composite=epsilon-plus-flat], gradient, gradient-x-input, "
              + "integrated-gradients[:steps=32], smoothgrad[:samples=16,noise=0.15]); 'dropwise methods' lists them. Alone: lrp (composite epsilon-gamma-box).")
  String input;

  @Option(
      names = "--target",
      paramLabel = "CLASS",
      description =
          "With --input, the class explained: predicted (default), label, or a class name or index.")
  String target;

  @Option(
      names = "--baseline",
      paramLabel = "FILE",
      description =
          "With --input, integrated gradients' baseline: a .npy of one raw example (its features, as the data holds them). Default: zero after the model's scaling.")
  Path baseline;

  @Mixin PlotsOption plots = new PlotsOption();

  @Option(
      names = "--split",
      defaultValue = "test",
      description = "test or train. Default: ${DEFAULT-VALUE}")
  String split;

  @Option(names = "--limit", description = "Only the first N examples.")
  Integer limit;

  @Option(
      names = "--out",
      defaultValue = "out/scores.npy",
      description =
          "Output name: X.npy becomes X.hidden_1.npy, X.hidden_2.npy, ... Default: ${DEFAULT-VALUE}")
  Path out;

  @Option(names = "--csv", description = "Also write each layer as CSV (one row per example).")
  boolean csv;

  @Override
  public Integer call() throws Exception {
    data.check();
    InputExplanation.Options inputOptions = input == null ? null : checkInputOptions();
    if (input == null) {
      for (Object given : new Object[] {target, baseline, plots.dir}) {
        if (given != null) {
          throw new IllegalArgumentException(
              "--target, --baseline and --plots explain the input; add --input (the hidden units' measures take target= in --importance)");
        }
      }
    }
    ImportanceSpec spec;
    String measure = importance == null ? DEFAULT_IMPORTANCE : importance;
    try {
      spec = ImportanceSpec.parse(measure);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--importance " + measure + ": " + e.getMessage());
    }
    if (!split.equals("test") && !split.equals("train")) {
      throw new IllegalArgumentException("--split " + split + " is not allowed; use test or train");
    }
    if (limit != null && limit < 1) {
      throw new IllegalArgumentException("--limit " + limit + " is not allowed: must be >= 1");
    }
    model.check();
    model.checkMetadata("explain");
    if (Files.isDirectory(out)) {
      throw new IllegalArgumentException(
          "--out " + out + " is a directory; give a file name (X.npy)");
    }
    String base = out.getFileName().toString().replaceFirst("\\.npy$", "");
    if (inputOptions != null) {
      return new InputExplanation(data, model.dir, split, limit, csv, plots)
          .write(inputOptions, out.resolveSibling(base + ".input"));
    }
    List<float[]> scores;
    List<float[]> steps;
    List<Integer> widths = new ArrayList<>();
    Dataset examples;
    try (ServingModel serving = ServingModel.load(model.dir)) {
      ModelSpec network = serving.network();
      for (int l = 1; l <= network.hiddenCount(); l++) {
        OutputFiles.check("--out", out.resolveSibling(base + ".hidden_" + l + ".npy"), Npy.OWN);
        OutputFiles.check(
            "--out", out.resolveSibling(base + ".hidden_" + l + ".steps.npy"), Npy.OWN);
        if (csv) {
          OutputFiles.check("--out", out.resolveSibling(base + ".hidden_" + l + ".csv"), OWN_CSV);
        }
      }
      // The network takes inputs scaled as in training: the export's own preprocessing, applied
      // here.
      ClassificationData loaded = data.loadFor(serving, model.dir);
      examples =
          serving.preprocessing().apply(split.equals("test") ? loaded.test() : loaded.train());
      if (limit != null) {
        examples = examples.head(limit);
      }
      Explainer.Scores explained = Explainer.scores(network, serving::variable, spec, examples);
      scores = explained.units();
      steps = explained.steps();
      for (float[] layer : scores) {
        widths.add(layer.length / examples.size());
      }
    }
    for (int l = 0; l < scores.size(); l++) {
      Path file = out.resolveSibling(base + ".hidden_" + (l + 1) + ".npy");
      Npy.write(file, scores.get(l), examples.size(), widths.get(l));
      System.out.println(
          file + ": " + examples.size() + " x " + widths.get(l) + " " + spec.text() + " scores");
      if (steps.get(l) != null) {
        // A recurrent layer: its units at every step as well, examples x steps x units.
        Path stepFile = out.resolveSibling(base + ".hidden_" + (l + 1) + ".steps.npy");
        int t = steps.get(l).length / scores.get(l).length;
        Npy.write(stepFile, steps.get(l), examples.size(), t, widths.get(l));
        System.out.println(
            stepFile
                + ": "
                + examples.size()
                + " x "
                + t
                + " steps x "
                + widths.get(l)
                + " "
                + spec.text()
                + " scores (their sum over the steps is the file above)");
      }
      if (csv) {
        Path csvFile = out.resolveSibling(base + ".hidden_" + (l + 1) + ".csv");
        AtomicFiles.write(csvFile, toCsv(scores.get(l), widths.get(l)));
        System.out.println(csvFile);
      }
    }
    return 0;
  }

  /** The --input options read and checked, before any work. */
  private InputExplanation.Options checkInputOptions() throws IOException {
    if (importance != null) {
      throw new IllegalArgumentException(
          "--importance "
              + importance
              + " measures hidden units; with --input, name the input attribution there (--input=gradient)");
    }
    InputAttribution attribution;
    try {
      attribution = InputAttributions.parse(input);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--input " + input + ": " + e.getMessage());
    }
    plots.check();
    float[] reference = baseline == null ? null : readBaseline(attribution);
    return new InputExplanation.Options(
        attribution, target == null ? "predicted" : target, reference);
  }

  /**
   * The --baseline file's values: one raw example, shape [features] or [1, features], every value
   * finite; refused for an attribution that takes no baseline, before the file is read.
   */
  private float[] readBaseline(InputAttribution attribution) {
    if (!attribution.name().equals("integrated-gradients")) {
      throw new IllegalArgumentException(
          "--baseline is integrated gradients' starting point; --input "
              + attribution.text()
              + " takes none");
    }
    if (Files.isDirectory(baseline)) {
      throw new IllegalArgumentException(
          "--baseline " + baseline + " is a directory; give a .npy file of one example");
    }
    if (!Files.isRegularFile(baseline)) {
      throw new IllegalArgumentException("--baseline " + baseline + ": no such file");
    }
    Npy.Array array;
    try {
      array = Npy.read(baseline);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("--baseline " + baseline + ": " + Errors.describe(e), e);
    }
    long[] shape = array.shape();
    if (!(shape.length == 1 || (shape.length == 2 && shape[0] == 1))) {
      throw new IllegalArgumentException(
          "--baseline "
              + baseline
              + " has the shape "
              + Arrays.toString(shape)
              + "; give one example: [features] or [1, features]");
    }
    for (float v : array.data()) {
      if (!Float.isFinite(v)) {
        throw new IllegalArgumentException(
            "--baseline " + baseline + " holds " + v + "; every value must be a finite number");
      }
    }
    return array.data();
  }

  /** A scores table begins with its first unit's column, by which dropwise knows it as its own. */
  private static final OutputFiles.Kind OWN_CSV = ownCsv("unit_");

  /** A table whose columns are {@code prefix0, prefix1, ...}, which dropwise knows as its own. */
  static OutputFiles.Kind ownCsv(String prefix) {
    return OutputFiles.Kind.beginningWith(prefix + "0,", prefix + "0\n");
  }

  private static String toCsv(float[] values, int columns) {
    return toCsv(values, columns, "unit_");
  }

  /** {@code values}, {@code columns} per row, under a header {@code prefix0, prefix1, ...}. */
  static String toCsv(float[] values, int columns, String prefix) {
    StringBuilder sb = new StringBuilder();
    for (int c = 0; c < columns; c++) {
      sb.append(c == 0 ? "" : ",").append(prefix).append(c);
    }
    sb.append('\n');
    for (int i = 0; i < values.length; i++) {
      sb.append(String.format(Locale.ROOT, "%.8g", values[i]))
          .append((i + 1) % columns == 0 ? '\n' : ',');
    }
    return sb.toString();
  }
}
