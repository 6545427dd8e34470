package dev.dropwise.cli;

import dev.dropwise.data.ClassificationData;
import dev.dropwise.experiments.RunExecutor;
import dev.dropwise.report.ChartWriter;
import dev.dropwise.report.FaithfulnessPlan;
import dev.dropwise.report.FaithfulnessStudy;
import dev.dropwise.report.PrunabilityPlan;
import dev.dropwise.report.PrunabilityStudy;
import dev.dropwise.report.RecurrentPlan;
import dev.dropwise.report.RecurrentStudy;
import dev.dropwise.report.ReproductionPlan;
import dev.dropwise.report.ReproductionReport;
import dev.dropwise.report.SmallDataPlan;
import dev.dropwise.report.SmallDataStudy;
import dev.dropwise.report.UncertaintyPlan;
import dev.dropwise.report.UncertaintyStudy;
import dev.dropwise.train.ConsoleProgress;
import dev.dropwise.train.ProgressListener;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description =
        "The reproduction report: Table 2 analogue, the official LRP-guided setting, importance profiles, "
            + "robustness curves and a rate sweep, as Markdown with charts; --section small-data: the small-data study; "
            + "--section uncertainty: the uncertainty study; --section prunability: the prunability study; "
            + "--section faithfulness: which explanation is the model's; --section recurrent: which dropout helps an LSTM. "
            + "Interrupted? Run it again: finished trainings are kept.")
final class ReportCommand implements Callable<Integer> {
  @Option(
      names = "--budget",
      defaultValue = "small",
      description =
          "small (3,000 training examples, 2 seeds, 2 epochs: minutes) or full (all of them, 5 seeds, early stopping: hours). Default: ${DEFAULT-VALUE}")
  String budget;

  @Mixin DataOption data = new DataOption();
  @Mixin ClusterOption cluster = new ClusterOption();

  @Option(
      names = "--out",
      defaultValue = "docs/results.md",
      description =
          "The report; its charts go beside it in a folder of the same name. Default: ${DEFAULT-VALUE}")
  Path out;

  static final String DEFAULT_RUNS = "out/report/runs";

  @Option(
      names = "--runs",
      defaultValue = DEFAULT_RUNS,
      description = "Finished trainings, kept for resuming. Default: ${DEFAULT-VALUE}")
  Path runs;

  @Option(
      names = "--section",
      defaultValue = "main",
      paramLabel = "main|small-data|uncertainty|prunability|faithfulness|recurrent",
      description =
          "main: the report's sections up to the rate sweep; small-data: the small-data study (Fashion-MNIST "
              + "subsets and scikit-learn's tables); uncertainty: which dropout gives the most trustworthy Monte Carlo "
              + "uncertainty (Fashion-MNIST without two classes); prunability: which training makes a network "
              + "prunable (Fashion-MNIST networks pruned by importance and magnitude); faithfulness: which input "
              + "attribution and hidden-unit measure is the model's (Fashion-MNIST networks and a table); recurrent: which dropout "
              + "helps an LSTM on sequential Fashion-MNIST. The small-data, uncertainty and prunability studies need the targeted-dropout plugin: "
              + "DROPWISE_PLUGINS=examples/target/dropwise-examples-0.1.0-SNAPSHOT.jar. Each rewrites its own part of "
              + "--out and keeps the others. "
              + "Default: ${DEFAULT-VALUE}")
  String section;

  @Option(
      names = "--partial",
      description =
          "Train nothing: write the tables from the trainings finished so far in --runs (a look at a long run in progress).")
  boolean partial;

  @Override
  public Integer call() throws Exception {
    if (!List.of("main", SMALL_DATA, UNCERTAINTY, PRUNABILITY, FAITHFULNESS, RECURRENT)
        .contains(section)) {
      throw new IllegalArgumentException(
          "--section "
              + section
              + " is not allowed: main, small-data, uncertainty, prunability, faithfulness or "
              + "recurrent");
    }
    ReproductionPlan.Budget chosen = ReproductionPlan.Budget.named(budget);
    data.check();
    RunExecutor executor =
        cluster.executor(); // refused here, before the data loads, if no cluster module is there
    if (!out.getFileName().toString().endsWith(".md")) {
      throw new IllegalArgumentException(
          "--out " + out + " is not allowed: the report is Markdown, name it *.md");
    }
    if (section.equals(UNCERTAINTY) && data.scale != null) {
      throw new IllegalArgumentException(
          "--scale "
              + data.scale
              + " does not apply to the uncertainty study: it scales pixels to [0, 1] as its exports "
              + "do; statistics fitted on all classes would carry the held-out ones into training");
    }
    Path budgetRuns = runs.resolve(chosen.name());
    SmallDataPlan.Budget smallData = SmallDataPlan.Budget.named(budget);
    UncertaintyPlan.Budget uncertainty = UncertaintyPlan.Budget.named(budget);
    PrunabilityPlan.Budget prunability = PrunabilityPlan.Budget.named(budget);
    FaithfulnessPlan.Budget faithfulness = FaithfulnessPlan.Budget.named(budget);
    RecurrentPlan.Budget recurrent = RecurrentPlan.Budget.named(budget);
    try {
      if (section.equals("main")) {
        ReproductionReport.checkOutputs(out, budgetRuns);
      } else {
        if (!List.of("fashion-mnist", "embedded").contains(data.source)) {
          throw new IllegalArgumentException(
              "--data "
                  + data.source
                  + ": the "
                  + section
                  + " study draws its subsets from "
                  + "Fashion-MNIST (fashion-mnist or embedded)");
        }
        if (cluster.master != null) {
          throw new IllegalArgumentException(
              "--master: the "
                  + section
                  + " study's training subsets are made in memory, so its runs train here");
        }
        if (section.equals(SMALL_DATA)) {
          SmallDataPlan.check(smallData);
          SmallDataStudy.checkOutputs(smallData, out, budgetRuns.resolve(SMALL_DATA));
        } else if (section.equals(UNCERTAINTY)) {
          UncertaintyPlan.check(uncertainty);
          UncertaintyStudy.checkOutputs(uncertainty, out, budgetRuns.resolve(UNCERTAINTY));
        } else if (section.equals(PRUNABILITY)) {
          PrunabilityPlan.check(prunability);
          PrunabilityStudy.checkOutputs(prunability, out, budgetRuns.resolve(PRUNABILITY));
        } else if (section.equals(RECURRENT)) {
          RecurrentStudy.checkOutputs(recurrent, out, budgetRuns.resolve(RECURRENT));
        } else {
          FaithfulnessStudy.checkOutputs(faithfulness, out, budgetRuns.resolve(FAITHFULNESS));
        }
      }
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "--out " + out + " / --runs " + runs + ": " + e.getMessage());
    }
    ChartWriter charts =
        ChartWriter.find()
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "report draws charts: run it through the dropwise launcher, which includes the dsl module"));
    ClassificationData loaded = data.load();
    // The command as it reproduces this report: --runs matters whenever it points at kept
    // trainings.
    String command =
        (List.of("main", FAITHFULNESS, RECURRENT).contains(section)
                ? "" // the sections that compare targeted dropout need its plugin
                : "DROPWISE_PLUGINS=examples/target/dropwise-examples-0.1.0-SNAPSHOT.jar ")
            + "./dropwise report "
            + (section.equals("main") ? "" : "--section " + section + " ")
            + "--budget "
            + chosen.name()
            + data.arguments()
            + " --out "
            + out
            + (runs.equals(Path.of(DEFAULT_RUNS)) ? "" : " --runs " + runs)
            + (partial ? " --partial" : "");
    System.out.println(
        "report ("
            + chosen.name()
            + (section.equals("main") ? "" : ", " + section)
            + ") on "
            + loaded.description());
    BiFunction<String, Long, ProgressListener> progress =
        (method, seed) -> ConsoleProgress.create(System.out, method + " seed " + seed);
    if (section.equals("main")) {
      ReproductionReport.write(
          loaded,
          chosen,
          out,
          budgetRuns,
          command,
          charts,
          progress,
          System.out,
          partial,
          executor);
    } else if (section.equals(UNCERTAINTY)) {
      UncertaintyStudy.write(
          loaded,
          uncertainty,
          out,
          budgetRuns.resolve(UNCERTAINTY),
          command,
          charts,
          progress,
          System.out,
          partial);
    } else if (section.equals(RECURRENT)) {
      RecurrentStudy.write(
          loaded,
          recurrent,
          out,
          budgetRuns.resolve(RECURRENT),
          command,
          progress,
          System.out,
          partial);
    } else if (section.equals(FAITHFULNESS)) {
      FaithfulnessStudy.write(
          loaded,
          faithfulness,
          out,
          budgetRuns.resolve(FAITHFULNESS),
          command,
          progress,
          System.out,
          partial);
    } else if (section.equals(PRUNABILITY)) {
      PrunabilityStudy.write(
          loaded,
          prunability,
          out,
          budgetRuns.resolve(PRUNABILITY),
          command,
          charts,
          progress,
          System.out,
          partial);
    } else {
      SmallDataStudy.write(
          loaded,
          smallData,
          chosen,
          out,
          budgetRuns.resolve(SMALL_DATA),
          ReproductionReport.table2Runs(budgetRuns),
          command,
          charts,
          progress,
          System.out,
          partial);
    }
    System.out.println("report: " + out);
    return 0;
  }

  /** Where the small-data study keeps its runs, under the budget's runs directory. */
  static final String SMALL_DATA = "small-data";

  /** Where the uncertainty study keeps its runs, under the budget's runs directory. */
  static final String UNCERTAINTY = "uncertainty";

  /** Where the prunability study keeps its runs, under the budget's runs directory. */
  static final String PRUNABILITY = "prunability";

  static final String FAITHFULNESS = "faithfulness";

  /** Where the recurrent study keeps its runs, under the budget's runs directory. */
  static final String RECURRENT = "recurrent";
}
