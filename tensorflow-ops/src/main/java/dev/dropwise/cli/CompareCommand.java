package dev.dropwise.cli;

import dev.dropwise.data.ClassificationData;
import dev.dropwise.dropout.DropoutSpec;
import dev.dropwise.experiments.Comparison;
import dev.dropwise.experiments.PairedDifference;
import dev.dropwise.experiments.RunExecutor;
import dev.dropwise.model.Architecture;
import dev.dropwise.model.ModelSpec;
import dev.dropwise.report.SummaryTables;
import dev.dropwise.train.ConsoleProgress;
import dev.dropwise.train.TrainConfig;
import dev.dropwise.util.AtomicFiles;
import dev.dropwise.util.Json;
import dev.dropwise.util.OutputDirectories;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "compare",
    mixinStandardHelpOptions = true,
    description =
        "Train the same network with several dropout methods and seeds; print test accuracy and loss (dropout off) as a table.")
final class CompareCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec command;
  @Mixin DataOption data = new DataOption();
  @Mixin ModelOptions model = new ModelOptions();
  @Mixin TrainOptions training = new TrainOptions();
  @Mixin EpochsOption length = new EpochsOption();
  @Mixin PlotsOption plots = new PlotsOption();
  @Mixin ClusterOption cluster = new ClusterOption();

  @Option(
      names = "--methods",
      split = SpecLists.SEPARATOR,
      splitSynopsisLabel = ";",
      defaultValue = "none;standard:p=0.5;sector:n=8,p=0.5",
      converter = DropoutSpecConverter.class,
      description =
          "';'-separated dropout specs ('dropwise methods' lists them). Default: ${DEFAULT-VALUE}")
  List<DropoutSpec> methods;

  @Option(
      names = "--seeds",
      split = ",",
      defaultValue = "1",
      description = "Run seeds; each method is trained once per seed. Default: ${DEFAULT-VALUE}")
  List<Long> seeds;

  @Option(
      names = "--architectures",
      split = SpecLists.SEPARATOR,
      splitSynopsisLabel = ";",
      paramLabel = "LAYERS",
      description =
          "';'-separated --layers values to compare, e.g. '1024,1024;2048,2048,2048' (instead of --layers).")
  List<String> architectures;

  @Option(
      names = "--out",
      defaultValue = "out/compare",
      description =
          "Where results.{csv,json,md,html} go; finished runs are kept in OUT/runs so that a rerun resumes. Default: ${DEFAULT-VALUE}")
  Path out;

  @Option(
      names = "--fresh",
      description = "Ignore runs finished by an earlier sweep into the same --out.")
  boolean fresh;

  @Option(
      names = "--baseline",
      paramLabel = "SPEC",
      converter = DropoutSpecConverter.class,
      description =
          "One of --methods: every other method is set against it on the same architecture, paired by seed, "
              + "with a paired t-test and Holm's correction over the methods (needs two or more --seeds).")
  DropoutSpec baseline;

  @Override
  public Integer call() throws Exception {
    data.check();
    model.check();
    RunExecutor executor =
        cluster.executor(); // refused here, before the data loads, if no cluster module is there
    TrainConfig config = training.config("--epochs", length.epochs, null, false);
    plots.check();
    OutputDirectories.check("--out", out);
    data.checkOutside("--out", out);
    data.checkOutside("--plots", plots.dir);
    if (methods.isEmpty()) {
      throw new IllegalArgumentException(
          "--methods names no method; give one or more, separated by ';'");
    }
    if (architectures != null && architectures.isEmpty()) {
      throw new IllegalArgumentException(
          "--architectures names no architecture; give one or more, separated by ';'");
    }
    try {
      Comparison.checkSeeds(seeds);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--seeds: " + e.getMessage());
    }
    if (baseline != null && methods.stream().noneMatch(m -> m.text().equals(baseline.text()))) {
      throw new IllegalArgumentException(
          "--baseline "
              + baseline.text()
              + " is not allowed: it must be one of --methods ("
              + String.join("; ", methods.stream().map(DropoutSpec::text).toList())
              + ")");
    }
    List<Architecture> widths = architectures();
    ClassificationData loaded = data.load();
    List<Comparison.Entry> entries = new ArrayList<>();
    for (Architecture architecture : widths) {
      for (DropoutSpec m : methods) {
        entries.add(new Comparison.Entry(m, model.build(architecture, loaded, m)));
      }
    }
    Map<String, ModelSpec> specs = Comparison.labelled(entries);
    System.out.println("data: " + loaded.description());
    OutputDirectories.claim("--out", out);
    List<Comparison.Run> runs =
        Comparison.run(
            loaded,
            specs,
            seeds,
            config,
            training.validationFraction,
            training.limit,
            (method, seed) -> ConsoleProgress.create(System.out, method + " seed " + seed),
            fresh ? null : out.resolve("runs"),
            System.out,
            executor);
    List<Comparison.Summary> summaries = Comparison.summarize(runs);
    String title = Comparison.title(specs, config, seeds);
    System.out.println();
    System.out.println(title + "; test set with dropout off:");
    System.out.print(SummaryTables.table(summaries));
    String paired =
        baseline == null ? "" : PairedDifference.verdicts(baseline.text(), baseline.text(), runs);
    if (!paired.isEmpty()) {
      System.out.print("\n" + paired.replace("`", ""));
    }
    AtomicFiles.write(out.resolve("results.csv"), SummaryTables.csv(runs));
    AtomicFiles.write(
        out.resolve("results.json"),
        Json.MAPPER.writeValueAsBytes(
            runs.stream()
                .map(
                    r ->
                        Map.of(
                            "method",
                            r.method(),
                            "seed",
                            r.seed(),
                            "testLoss",
                            r.testLoss(),
                            "testAccuracy",
                            r.testAccuracy(),
                            "epochs",
                            r.epochs(),
                            "seconds",
                            r.seconds()))
                .toList()));
    List<Path> charts = plots.comparison(summaries, title);
    String chart =
        charts.stream()
            .filter(p -> p.toString().endsWith(".png"))
            .findFirst()
            .map(p -> out.toAbsolutePath().relativize(p.toAbsolutePath()).toString())
            .orElse(null);
    AtomicFiles.write(
        out.resolve("results.md"),
        "# "
            + title
            + "\n\nTest set, dropout off; `"
            + String.join(" ", commandLine())
            + "`\n\n"
            + SummaryTables.markdown(summaries)
            + (chart == null ? "" : "\n![test accuracy](" + chart + ")\n")
            + (paired.isEmpty()
                ? ""
                : "\nPaired by seed, two-sided paired t-test, Holm's correction over the list:\n\n"
                    + paired));
    AtomicFiles.write(
        out.resolve("results.html"),
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>"
            + title
            + "</title></head><body><h1>"
            + title
            + "</h1>"
            + SummaryTables.html(summaries)
            + (chart == null ? "" : "<img src=\"" + chart + "\" alt=\"test accuracy\">")
            + "</body></html>\n");
    System.out.println("results: " + out.resolve("results.csv") + ", .json, .md, .html");
    if (runs.stream()
        .allMatch(Comparison.Run::failed)) { // a failure, exit 1, after the table that says why
      throw new IllegalStateException(
          "every run failed (the table says why); no method was compared");
    }
    return 0;
  }

  /** The architectures to compare: --architectures, else --layers. */
  private List<Architecture> architectures() {
    if (architectures == null || architectures.isEmpty()) {
      return List.of(model.architecture());
    }
    return architectures.stream().map(Architecture::parse).toList();
  }

  /** The command as it was typed, for the report's first line. */
  private List<String> commandLine() {
    List<String> line = new ArrayList<>(List.of("./dropwise"));
    for (String arg : command.commandLine().getParseResult().originalArgs()) {
      line.add(arg.matches("[A-Za-z0-9_./:=,@+-]*") ? arg : "'" + arg + "'");
    }
    return line;
  }
}
