package dev.dropwise.cli;

import dev.dropwise.data.ClassificationData;
import dev.dropwise.data.DataSource;
import dev.dropwise.data.DataSpec;
import dev.dropwise.data.Dataset;
import dev.dropwise.data.KnownClasses;
import dev.dropwise.data.Preprocessing;
import dev.dropwise.export.ServingModel;
import dev.dropwise.network.FeatureShape;
import dev.dropwise.util.ParameterException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * {@code --data} and the options that say how its examples are split and scaled; see {@link
 * DataSpec}.
 */
final class DataOption {
  @Option(
      names = "--data",
      paramLabel = "SOURCE",
      defaultValue = "fashion-mnist",
      description =
          "fashion-mnist (from ${dropwise.fashionMnistDir:-/usr/share/datasets/fashion-mnist}, else the embedded "
              + "subset), embedded, idx:DIR (or DIR: the four IDX files), csv:PATH[,label=NAME|INDEX][,header=true|false][,sep=C], "
              + "npy:X.npy,Y.npy or images:DIR (a subfolder of PNG/JPEG images per class). Default: ${DEFAULT-VALUE}")
  String source = "fashion-mnist";

  @Option(
      names = "--test-data",
      paramLabel = "SOURCE",
      description =
          "The test set, from a source of its own (same forms as --data; its classes must be the training data's).")
  String testSource;

  @Option(
      names = "--test-fraction",
      paramLabel = "F",
      description =
          "Split a test set off a source that has none: this share of every class, seeded by --split-seed. "
              + "Default: "
              + DataSpec.DEFAULT_TEST_FRACTION
              + " for csv, npy and images sources.")
  Double testFraction;

  @Option(
      names = "--split-seed",
      defaultValue = "1",
      description =
          "Seeds the --test-fraction split (one test set for every run of a sweep). Default: ${DEFAULT-VALUE}")
  long splitSeed = 1;

  @Option(
      names = "--scale",
      paramLabel = "none|unit|standardize",
      description =
          "How inputs are scaled (statistics from the training split, stored in an export, applied by its "
              + "serving graph): unit divides images and other 8-bit data by 255 (other data: per-feature min-max); "
              + "standardize subtracts each feature's mean and divides by its std. Default: unit for images, standardize for tables.")
  String scale;

  @Option(
      names = "--image",
      paramLabel = "HxWxC",
      description =
          "The shape of one example: images:DIR resizes every image to it; flat features (csv, npy [N, F]) "
              + "are reshaped to it for convolutional layers. Default: the source's (28x28x1 for Fashion-MNIST).")
  String image;

  /**
   * Classes held out of the training and test sets (names or indices), set by a command that trains
   * (train --ood-classes); null: none.
   */
  List<String> oodClasses;

  /** The request the options make. */
  DataSpec spec() {
    List<Integer> size = null;
    if (image != null) {
      FeatureShape map;
      try {
        map = FeatureShape.parseMap(image);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--image " + image + ": " + e.getMessage());
      }
      size = List.of(map.height(), map.width(), map.channels());
    }
    return new DataSpec(
        source,
        testSource,
        testFraction,
        splitSeed,
        scale == null ? null : Preprocessing.Scale.parse(scale),
        size,
        oodClasses);
  }

  /**
   * The options as given, for a command line that reproduces a run: empty when all are at their
   * defaults.
   */
  String arguments() {
    StringBuilder out = new StringBuilder();
    if (!source.equals("fashion-mnist")) {
      out.append(" --data ").append(source);
    }
    if (testSource != null) {
      out.append(" --test-data ").append(testSource);
    }
    if (testFraction != null) {
      out.append(" --test-fraction ").append(testFraction);
    }
    if (splitSeed != 1) {
      out.append(" --split-seed ").append(splitSeed);
    }
    if (scale != null) {
      out.append(" --scale ").append(scale);
    }
    if (image != null) {
      out.append(" --image ").append(image);
    }
    return out.toString();
  }

  /** Fails on a source that does not exist or a bad setting, before anything is built. */
  void check() {
    spec().check();
  }

  ClassificationData load() throws IOException {
    return spec().load();
  }

  /**
   * The data to train on further from {@code serving}'s weights: scaled as that model's inputs were
   * (its recorded kind of scaling, fitted to this training split), or as --scale says for a model
   * that takes its inputs as given.
   */
  ClassificationData loadScaledAs(ServingModel serving) throws IOException {
    Preprocessing.Scale scale = serving.preprocessing().scale();
    DataSpec spec = scale == Preprocessing.Scale.NONE ? spec() : spec().withScale(scale);
    return spec.load(classesOf(serving));
  }

  /**
   * The model's classes to look labels up in; null for an export from before they were recorded.
   */
  private static KnownClasses classesOf(ServingModel serving) throws IOException {
    List<String> names = serving.classNames();
    return names == null ? null : KnownClasses.ofModel(names);
  }

  /**
   * Refuses an output path inside a directory the data is read from ({@code idx:DIR}, {@code
   * images:DIR}): dropwise never writes into its input, and an images: folder would read the output
   * back as a class.
   */
  void checkOutside(String option, Path output) {
    if (output == null) {
      return;
    }
    Path out = output.toAbsolutePath().normalize();
    for (String text : testSource == null ? List.of(source) : List.of(source, testSource)) {
      DataSource input = DataSource.parse(text, "data");
      for (Path dir : input.paths()) {
        Path in = dir.toAbsolutePath().normalize();
        if (Files.isDirectory(dir) && out.startsWith(in)) {
          throw new IllegalArgumentException(
              option
                  + " "
                  + output
                  + (out.equals(in) ? " is" : " lies inside")
                  + " the data directory "
                  + dir
                  + " ("
                  + text
                  + "): dropwise never writes into its input; choose a path "
                  + "outside it");
        }
      }
    }
  }

  /**
   * The data as {@code serving}'s signature takes it: raw when the export scales its inputs itself,
   * scaled here for an export from before preprocessing was recorded; its labels looked up by name
   * in the model's classes (a class the model does not know is refused), so that class indices are
   * the model's; refused when its examples are not as wide as the model's input.
   */
  ClassificationData loadFor(ServingModel serving, Path modelDir) throws IOException {
    if (scale != null) {
      throw new IllegalArgumentException(
          "--scale "
              + scale
              + " does not apply to an exported model: it scales its "
              + "inputs as it was trained ("
              + serving.preprocessing()
              + ")");
    }
    DataSpec spec =
        serving.preprocessing().scale() == Preprocessing.Scale.NONE
            ? spec()
            : spec().withScale(Preprocessing.Scale.NONE);
    ClassificationData loaded = spec.load(classesOf(serving));
    if (serving.inputs() != loaded.test().featureCount()) {
      throw new IllegalArgumentException(
          "--model "
              + modelDir
              + " takes "
              + serving.inputs()
              + " features but the data (--data "
              + source
              + ") has "
              + loaded.test().featureCount());
    }
    return loaded;
  }

  /**
   * Every example of {@code source} (its training and test parts), from outside the training
   * distribution of {@code serving} (--ood): read at this data's image size, unscaled where the
   * export scales its inputs itself, their labels their own; refused unless they have the model's
   * number of features. Any refusal of the source names --ood.
   */
  Dataset loadOutside(String source, ServingModel serving) throws IOException {
    DataSource.parse(source, "ood");
    DataSpec own = new DataSpec(source, null, null, splitSeed, null, spec().image());
    DataSpec spec =
        serving.preprocessing().scale() == Preprocessing.Scale.NONE
            ? own
            : own.withScale(Preprocessing.Scale.NONE);
    ClassificationData loaded;
    try {
      loaded = spec.load(null);
    } catch (ParameterException e) {
      throw new ParameterException("ood", source, e.problem());
    }
    Dataset outside = loaded.train().concat(loaded.test());
    if (outside.featureCount() != serving.inputs()) {
      throw new ParameterException(
          "ood",
          source,
          "its examples have "
              + outside.featureCount()
              + " features but the model takes "
              + serving.inputs()
              + (spec().image() == null ? "; give --image HxWxC to resize images" : ""));
    }
    return outside;
  }
}
