package dev.dropwise.cli;

import dev.dropwise.bench.MemorySoak;
import dev.dropwise.bench.StepBenchmark;
import dev.dropwise.data.ClassificationData;
import dev.dropwise.data.Dataset;
import dev.dropwise.dropout.DropoutSpec;
import dev.dropwise.model.ModelSpec;
import dev.dropwise.model.RecurrentDropout;
import dev.dropwise.train.ConsoleProgress;
import dev.dropwise.train.OptimizerSpec;
import dev.dropwise.train.ProgressListener;
import dev.dropwise.train.TrainConfig;
import dev.dropwise.train.Trainer;
import dev.dropwise.train.TrainingRun;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description =
        "Median ms per training step of each dropout method and its ratio to no dropout, measured in one run.")
final class BenchCommand implements Callable<Integer> {
  @Mixin DataOption data = new DataOption();
  @Mixin ModelOptions model = new ModelOptions();
  @Mixin ServingBench serving = new ServingBench();

  @Option(
      names = "--batch-sizes",
      split = ",",
      defaultValue = "64,256",
      description = "Default: ${DEFAULT-VALUE}")
  List<Integer> batchSizes;

  @Option(
      names = "--methods",
      split = SpecLists.SEPARATOR,
      splitSynopsisLabel = ";",
      defaultValue = "none;standard:p=0.5;sector:n=8,p=0.5;lrp;ydrop;pfid",
      converter = DropoutSpecConverter.class,
      description =
          "';'-separated dropout specs; ratios are to the first two (no dropout, standard dropout). Default: ${DEFAULT-VALUE}")
  List<DropoutSpec> methods;

  @Option(
      names = "--warmup",
      defaultValue = "30",
      description = "Untimed steps per method first. Default: ${DEFAULT-VALUE}")
  int warmup;

  @Option(
      names = "--steps",
      defaultValue = "300",
      description = "Timed steps per method. Default: ${DEFAULT-VALUE}")
  int steps;

  @Option(
      names = "--threads",
      defaultValue = "0",
      description =
          "Threads each session computes with, within an op and across ops; 0: TensorFlow's default (every core). Default: ${DEFAULT-VALUE}")
  int threads;

  @Option(
      names = "--cnn",
      description =
          "The feature-map benchmark: --layers "
              + CNN_LAYERS
              + " (unless given), the methods (unless given) "
              + CNN_METHODS
              + " after each convolutional block, and a test accuracy after --accuracy-epochs of Adam (lr 1e-3).")
  boolean cnn;

  @Option(
      names = "--recurrent",
      description =
          "The recurrent benchmark: --layers "
              + RecurrentArms.LAYERS
              + " (unless given) with no dropout, standard dropout after it, variational dropout, zoneout "
              + "and Y-Drop on its state (--methods does not apply).")
  boolean recurrent;

  @Option(
      names = "--accuracy-epochs",
      paramLabel = "EPOCHS",
      description =
          "Also train each method this many epochs (Adam, lr 1e-3, batch 64, seed 1) and report its test accuracy. "
              + "Default: 3 with --cnn, else 0 (timing only).")
  Integer accuracyEpochs;

  @Spec picocli.CommandLine.Model.CommandSpec command;

  static final String CNN_LAYERS = "conv:32x3,pool:2,conv:64x3,pool:2,dense:256";
  static final String CNN_METHODS =
      "none;standard:p=0.1;spatial:p=0.1;dropblock:p=0.1;spatially-aware:p=0.1;"
          + "sector:n=8,p=0.125;lrp:p=0.1;ydrop:p0=0.1,muL=0.05,muH=0.15,maxL=0.1,maxH=0.3;pfid:alpha=0.1,mean=0.1";

  @Option(
      names = "--soak",
      paramLabel = "STEPS",
      description =
          "Instead of timing: train STEPS steps of --soak-method at batch 64 and print the resident memory every 1,000 steps.")
  Integer soak;

  @Option(
      names = "--soak-method",
      defaultValue = "ydrop",
      converter = DropoutSpecConverter.class,
      description = "The method the soak trains. Default: ${DEFAULT-VALUE}")
  DropoutSpec soakMethod;

  @Option(
      names = "--mc",
      paramLabel = "T",
      description =
          "Instead of timing steps: the throughput of T Monte Carlo passes through an export of "
              + "--layers with --mc-method, one pass per session call against ten per call.")
  Integer monteCarlo;

  @Option(
      names = "--mc-method",
      defaultValue = "standard:p=0.5",
      converter = DropoutSpecConverter.class,
      description = "The dropout the --mc export samples. Default: ${DEFAULT-VALUE}")
  DropoutSpec monteCarloMethod;

  @Option(
      names = "--mc-examples",
      defaultValue = "100",
      description = "Test examples each --mc pass predicts. Default: ${DEFAULT-VALUE}")
  int monteCarloExamples;

  @Option(
      names = "--mc-repeats",
      defaultValue = "5",
      description = "Timed runs of each way, whose median is reported. Default: ${DEFAULT-VALUE}")
  int monteCarloRepeats;

  @Override
  public Integer call() throws Exception {
    data.check();
    if (soak != null) {
      return soak();
    }
    if (monteCarlo != null) {
      return MonteCarloBench.run(this);
    }
    if (serving.models != null) {
      return serving.run();
    }
    if (threads < 0) {
      throw new IllegalArgumentException(
          "--threads " + threads + " is not allowed: must be >= 0 (0: every core)");
    }
    if (steps < 10 || warmup < 0) {
      throw new IllegalArgumentException(
          "--steps " + steps + " --warmup " + warmup + ": need steps >= 10 and warmup >= 0");
    }
    for (int b : batchSizes) {
      if (b < 1) {
        throw new IllegalArgumentException("--batch-sizes " + batchSizes + ": sizes must be >= 1");
      }
    }
    int epochs = accuracyEpochs != null ? accuracyEpochs : cnn ? 3 : 0;
    if (epochs < 0) {
      throw new IllegalArgumentException(
          "--accuracy-epochs " + epochs + " is not allowed: must be >= 0");
    }
    if (cnn && recurrent) {
      throw new IllegalArgumentException("--cnn and --recurrent are two benchmarks: give one");
    }
    if (cnn && !command.commandLine().getParseResult().hasMatchedOption("--layers")) {
      model.layers = CNN_LAYERS;
    }
    if (recurrent && !command.commandLine().getParseResult().hasMatchedOption("--layers")) {
      model.layers = RecurrentArms.LAYERS;
    }
    if (recurrent && command.commandLine().getParseResult().hasMatchedOption("--methods")) {
      throw new IllegalArgumentException(
          "--methods does not apply to --recurrent, whose arms are fixed: "
              + String.join(", ", RecurrentArms.ARMS.keySet()));
    }
    if (cnn && !command.commandLine().getParseResult().hasMatchedOption("--methods")) {
      methods = SpecLists.split(CNN_METHODS).stream().map(DropoutSpec::parse).toList();
    }
    Set<String> seen = new HashSet<>();
    for (DropoutSpec m : methods) {
      if (!seen.add(m.text())) {
        throw new IllegalArgumentException(
            "--methods: " + m.text() + " is given twice; each method may appear once");
      }
    }
    model.check();
    if (recurrent) {
      RecurrentArms.with(model.architecture(), RecurrentDropout.NONE); // refuses layers without one
    }
    ClassificationData loaded = data.load();
    for (int b : batchSizes) {
      if (b > loaded.train().size()) {
        throw new IllegalArgumentException(
            "--batch-sizes "
                + batchSizes
                + ": a batch of "
                + b
                + " is more than the "
                + loaded.train().size()
                + " training examples of --data "
                + data.source);
      }
    }
    Map<String, ModelSpec> specs = new LinkedHashMap<>();
    if (recurrent) {
      RecurrentArms.ARMS.forEach(
          (name, arm) ->
              specs.put(
                  name,
                  model.build(
                      RecurrentArms.with(model.architecture(), arm.inside()),
                      loaded,
                      arm.after())));
    } else {
      for (DropoutSpec m : methods) {
        specs.put(m.text(), cnn ? model.buildOnFeatureMaps(loaded, m) : model.build(loaded, m));
      }
    }
    List<String> names = List.copyOf(specs.keySet());
    System.out.println(
        "network: "
            + specs.get(names.get(0)).widths()
            + ", "
            + steps
            + " timed steps per method after "
            + warmup
            + " warm-up, "
            + Runtime.getRuntime().availableProcessors()
            + " cores"
            + (threads == 0 ? "" : ", " + threads + " TensorFlow threads"));
    List<StepBenchmark.Row> rows =
        StepBenchmark.run(loaded.train(), specs, batchSizes, warmup, steps, threads);
    StepTable table = new StepTable(names, !recurrent);
    Map<String, Double> accuracy = new LinkedHashMap<>();
    if (epochs > 0) {
      TrainConfig config =
          TrainConfig.defaults().withEpochs(epochs).withOptimizer(new OptimizerSpec.Adam(0.001f));
      Dataset.Split split = loaded.train().split(0.1, config.seeds().shuffle());
      for (String m : names) {
        ProgressListener progress = ConsoleProgress.create(System.out, table.label(m));
        try (TrainingRun run =
            Trainer.train(specs.get(m), split.train(), split.validation(), config, progress)) {
          accuracy.put(m, run.model().evaluate(loaded.test()).accuracy());
          System.out.printf(
              Locale.ROOT, "[%s] test accuracy %.4f%n", table.label(m), accuracy.get(m));
        }
      }
      System.out.println();
    }
    table.print(rows, accuracy, epochs, recurrent ? RecurrentArms.legend() : null);
    return 0;
  }

  /** Growth allowed after the first 2,000 steps, when the JVM and TF have warmed up. */
  static final double SOAK_GROWTH_LIMIT = 0.05;

  private int soak() throws Exception {
    if (soak < 3000) {
      throw new IllegalArgumentException(
          "--soak "
              + soak
              + " is not allowed: must be >= 3000 (growth is measured after step 2,000)");
    }
    ClassificationData loaded = data.load();
    ModelSpec spec = model.build(loaded, soakMethod);
    System.out.println(
        "soak: " + soak + " steps of " + soakMethod.text() + " on " + spec.widths() + ", batch 64");
    List<MemorySoak.Sample> samples =
        MemorySoak.run(
            loaded.train(),
            spec,
            64,
            soak,
            1000,
            s ->
                System.out.printf(
                    Locale.ROOT,
                    "step %6d  resident %8.1f MB  (JVM heap committed %7.1f MB)%n",
                    s.step(),
                    s.residentKb() / 1024.0,
                    s.heapCommittedKb() / 1024.0));
    double growth = MemorySoak.growthAfter(samples, 2000);
    boolean flat = growth < SOAK_GROWTH_LIMIT;
    System.out.printf(
        Locale.ROOT,
        "growth after step 2,000: %.2f%% (limit %.0f%%): %s%n",
        100 * growth,
        100 * SOAK_GROWTH_LIMIT,
        flat ? "flat" : "GROWING");
    return flat ? 0 : 1;
  }
}
