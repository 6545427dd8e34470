package dev.dropwise.cli;

import dev.dropwise.data.ClassificationData;
import dev.dropwise.experiments.RunExecutor;
import dev.dropwise.report.ChartWriter;
import dev.dropwise.report.ReproductionReport;
import dev.dropwise.train.ConsoleProgress;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "report", mixinStandardHelpOptions = true,
    description = "The reproduction report: Table 2 analogue, the official LRP-guided setting, importance profiles, "
        + "robustness curves and a rate sweep, as Markdown with charts. Interrupted? Run it again: finished trainings are kept.")
final class ReportCommand implements Callable<Integer> {
  @Option(names = "--budget", defaultValue = "small",
      description = "small (3,000 training examples, 2 seeds, 2 epochs: minutes) or full (all of them, 5 seeds, early stopping: hours). Default: ${DEFAULT-VALUE}")
  String budget;

  @Mixin DataOption data = new DataOption();
  @Mixin ClusterOption cluster = new ClusterOption();

  @Option(names = "--out", defaultValue = "docs/results.md", description = "The report; its charts go beside it in a folder of the same name. Default: ${DEFAULT-VALUE}")
  Path out;

  static final String DEFAULT_RUNS = "out/report/runs";

  @Option(names = "--runs", defaultValue = DEFAULT_RUNS, description = "Finished trainings, kept for resuming. Default: ${DEFAULT-VALUE}")
  Path runs;

  @Option(names = "--partial",
      description = "Train nothing: write the tables from the trainings finished so far in --runs (a look at a long run in progress).")
  boolean partial;

  @Override
  public Integer call() throws Exception {
    ReproductionReport.Budget chosen = ReproductionReport.Budget.named(budget);
    data.check();
    RunExecutor executor = cluster.executor(); // refused here, before the data loads, if no cluster module is there
    ChartWriter charts = ChartWriter.find().orElseThrow(() -> new IllegalArgumentException(
        "report draws charts: run it through the dropwise launcher, which includes the dsl module"));
    if (!out.getFileName().toString().endsWith(".md")) {
      throw new IllegalArgumentException("--out " + out + " is not allowed: the report is Markdown, name it *.md");
    }
    try {
      ReproductionReport.checkOutputs(out, runs.resolve(chosen.name()));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--out " + out + " / --runs " + runs + ": " + e.getMessage());
    }
    ClassificationData loaded = data.load();
    // The command as it reproduces this report: --runs matters whenever it points at kept trainings.
    String command = "./dropwise report --budget " + chosen.name() + data.arguments()
        + " --out " + out + (runs.equals(Path.of(DEFAULT_RUNS)) ? "" : " --runs " + runs) + (partial ? " --partial" : "");
    System.out.println("report (" + chosen.name() + ") on " + loaded.description());
    ReproductionReport.write(loaded, chosen, out, runs.resolve(chosen.name()), command, charts,
        (method, seed) -> ConsoleProgress.create(System.out, method + " seed " + seed), System.out, partial,
        executor);
    System.out.println("report: " + out);
    return 0;
  }
}
