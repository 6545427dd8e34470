package dev.dropwise.cli;

import dev.dropwise.data.ClassificationData;
import dev.dropwise.data.Dataset;
import dev.dropwise.dropout.DropoutSpec;
import dev.dropwise.dropout.NoDropout;
import dev.dropwise.export.SavedModelExport;
import dev.dropwise.export.ServingModel;
import dev.dropwise.model.Architecture;
import dev.dropwise.model.ModelSpec;
import dev.dropwise.model.StartingWeights;
import dev.dropwise.train.ConsoleProgress;
import dev.dropwise.train.Evaluation;
import dev.dropwise.train.MonteCarloLayers;
import dev.dropwise.train.ProgressListener;
import dev.dropwise.train.TrainConfig;
import dev.dropwise.train.Trainer;
import dev.dropwise.train.TrainingRun;
import dev.dropwise.util.OutputDirectories;
import dev.dropwise.util.ParameterException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description =
        "Train a model with a dropout method (from random weights, or from an exported or imported model's); "
            + "print and save the history, optionally export a SavedModel.")
final class TrainCommand implements Callable<Integer> {
  @Mixin DataOption data = new DataOption();
  @Mixin ModelOptions model = new ModelOptions();
  @Mixin TrainOptions training = new TrainOptions();
  @Mixin EpochsOption length = new EpochsOption();
  @Mixin PlotsOption plots = new PlotsOption();

  @Option(
      names = "--dropout",
      defaultValue = "none",
      converter = DropoutSpecConverter.class,
      description =
          "Dropout after every hidden layer: NAME[:key=value,...], e.g. standard:p=0.5 or sector:n=8,p=0.5; "
              + "'dropwise methods' lists every method and its settings. Default: ${DEFAULT-VALUE}")
  DropoutSpec dropout = new NoDropout();

  @Option(
      names = "--out",
      defaultValue = "out/train",
      description = "Where history.csv and history.json go. Default: ${DEFAULT-VALUE}")
  Path out;

  @Option(names = "--checkpoint-dir", description = "Write a checkpoint after every epoch here.")
  Path checkpointDir;

  @Option(
      names = "--resume",
      description = "Continue from the last checkpoint in --checkpoint-dir.")
  boolean resume;

  @Option(
      names = "--export",
      paramLabel = "DIR",
      description =
          "Export the trained model as a SavedModel (serving_default: x -> logits, probabilities).")
  Path export;

  @Option(
      names = "--calibrate",
      description =
          "Fit temperature scaling on the validation split after training and export with it: "
              + "serving_default divides its logits by the temperature (needs --export and a "
              + "validation split).")
  boolean calibrate;

  @Option(
      names = "--ood-classes",
      paramLabel = "CLASS,...",
      description =
          "Hold these classes (names or indices) out of the training and test sets, so that their "
              + "test images stand for inputs the model has never seen: 'dropwise uncertainty' on "
              + "the export uses them for out-of-distribution detection. The model keeps an output "
              + "per class.")
  String oodClasses;

  @Option(
      names = "--init-from",
      paramLabel = "DIR",
      description =
          "Start from the weights of a model dropwise exported or imported (dropwise import), instead of "
              + "random ones. The network is that model's: --layers, --activation and --init do not apply; --dropout "
              + "replaces the model's dropout, else it keeps its own.")
  Path initFrom;

  @Spec CommandSpec command;

  @Override
  public Integer call() throws Exception {
    data.check();
    model.check();
    TrainConfig config = training.config("--epochs", length.epochs, checkpointDir, resume);
    plots.check();
    checkOutputs();
    if (calibrate && export == null) {
      throw new IllegalArgumentException(
          "--calibrate fits a temperature for the exported model: give --export DIR");
    }
    if (calibrate && training.validationFraction == 0) {
      throw new IllegalArgumentException(
          "--calibrate fits the temperature on the validation split, and --val-fraction 0 "
              + "leaves none: give --val-fraction in (0, 1)");
    }
    if (oodClasses != null) {
      data.oodClasses = List.of(oodClasses.split(",", -1));
    }
    ClassificationData loaded;
    ModelSpec spec;
    StartingWeights start = null;
    if (initFrom == null) {
      loaded = data.load();
      spec = model.build(loaded, dropout);
    } else {
      try (ServingModel from = ServingModel.load(initFrom)) {
        spec = startingSpec(from); // refuses --layers and the like before the data loads
        loaded = data.loadScaledAs(from);
        start = from.startingWeights();
      }
      if (spec.inputs() != loaded.train().featureCount()
          || spec.classes() != loaded.train().classCount()) {
        throw new IllegalArgumentException(
            "--init-from "
                + initFrom
                + " takes "
                + spec.inputs()
                + " features and "
                + spec.classes()
                + " classes, the data has "
                + loaded.train().featureCount()
                + " and "
                + loaded.train().classCount());
      }
      System.out.println("starting from: " + initFrom);
    }
    System.out.println("data: " + loaded.description());
    System.out.println(
        "model: "
            + spec.widths()
            + ", "
            + (initFrom == null ? model.activation : "as imported")
            + ", dropout "
            + spec.dropoutText()
            + "; "
            + config.optimizer().text()
            + ", batch "
            + config.batchSize()
            + ", seed "
            + training.seed);
    Dataset.Split split = training.split(loaded, config);
    if (calibrate && split.validation().size() == 0) {
      throw new IllegalArgumentException(
          "--calibrate fits the temperature on the validation split, and --val-fraction "
              + training.validationFraction
              + " of "
              + split.train().size()
              + " training examples leaves none: give a larger --val-fraction");
    }
    ProgressListener progress = ConsoleProgress.create(System.out, "");
    try (TrainingRun run =
        Trainer.train(spec, start, split.train(), split.validation(), config, progress)) {
      if (run.resumed()) {
        System.out.println("resumed from " + checkpointDir);
      }
      System.out.println();
      System.out.print(run.history().toTable());
      if (run.stoppedEarly()) {
        System.out.println(
            "stopped early: no lower validation loss for " + config.patience() + " epochs");
      }
      Evaluation test = run.model().evaluate(loaded.test());
      System.out.printf(
          Locale.ROOT,
          "test: loss %.4f, accuracy %.4f (%d examples, dropout off)%n",
          test.loss(),
          test.accuracy(),
          test.examples());
      run.model()
          .learnedRates()
          .forEach(
              (layer, rate) ->
                  System.out.printf(
                      Locale.ROOT,
                      "learned drop rate of %s: %.4f%n",
                      spec.layerNames().get(layer),
                      rate));
      OutputDirectories.claim("--out", out);
      run.history().writeCsv(out.resolve("history.csv"));
      run.history().writeJson(out.resolve("history.json"));
      System.out.println(
          "history: " + out.resolve("history.csv") + ", " + out.resolve("history.json"));
      plots.history(run.history(), spec.widths() + ", dropout " + spec.dropoutText());
      if (export != null) {
        double temperature = calibrate ? Calibrate.fitted(run.model(), split.validation()) : 1;
        SavedModelExport.export(
            run.model(),
            export,
            loaded.preprocessing(),
            loaded.classNames(),
            temperature,
            loaded.heldOut() == null ? List.of() : loaded.heldOut().names(),
            monteCarloLayers(run));
        System.out.println("SavedModel: " + export);
      }
    }
    return 0;
  }

  /**
   * What the export's Monte Carlo passes sample in place of the layers that cannot run as they
   * trained, said; none (and why) when a layer has no stand-in.
   */
  private static Map<Integer, DropoutSpec> monteCarloLayers(TrainingRun run) {
    MonteCarloLayers layers = run.monteCarloLayers();
    layers.lines(run.model().spec()).forEach(System.out::println);
    return layers.forExport();
  }

  /**
   * The network of the model at --init-from: with its own dropout layers, or with --dropout (and
   * --feature-dropout) placed as for --layers when given.
   */
  private ModelSpec startingSpec(ServingModel from) throws IOException {
    ParseResult given = command.commandLine().getParseResult();
    for (String option : new String[] {"--layers", "--activation", "--init"}) {
      if (given.hasMatchedOption(option)) {
        throw new IllegalArgumentException(
            option
                + " does not apply with --init-from "
                + initFrom
                + ": the network is that model's ("
                + from.network().widths()
                + ")");
      }
    }
    if (!given.hasMatchedOption("--dropout") && !given.hasMatchedOption("--feature-dropout")) {
      return from.trainingSpec();
    }
    ModelSpec network = from.network();
    try {
      return new ModelSpec(
          network.input(),
          Architecture.placeDropout(
              network.layers(), network.widths(), dropout, model.featureDropout));
    } catch (ParameterException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "--dropout " + dropout.text() + " with --init-from " + initFrom + ": " + e.getMessage(),
          e);
    }
  }

  /**
   * Every place this run writes, checked before the data is loaded: directories new, empty or
   * dropwise's; the export path new, empty or an earlier export, with nothing else of this run
   * inside it.
   */
  private void checkOutputs() {
    OutputDirectories.check("--out", out);
    data.checkOutside("--out", out);
    data.checkOutside("--export", export);
    data.checkOutside("--plots", plots.dir);
    data.checkOutside("--checkpoint-dir", checkpointDir);
    if (checkpointDir != null) {
      OutputDirectories.check("--checkpoint-dir", checkpointDir);
    }
    if (initFrom != null && !Files.isRegularFile(initFrom.resolve(SavedModelExport.METADATA))) {
      throw new IllegalArgumentException(
          "--init-from "
              + initFrom
              + " is not a model dropwise exported or imported "
              + "(no "
              + SavedModelExport.METADATA
              + " there)");
    }
    if (export != null) {
      SavedModelExport.checkTarget("--export", export);
      OutputDirectories.checkOutside("--out", out, "--export", export);
      OutputDirectories.checkOutside("--plots", plots.dir, "--export", export);
      OutputDirectories.checkOutside("--checkpoint-dir", checkpointDir, "--export", export);
    }
  }
}
