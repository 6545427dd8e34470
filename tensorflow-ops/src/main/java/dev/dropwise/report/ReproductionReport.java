package dev.dropwise.report;

import dev.dropwise.analysis.Explainer;
import dev.dropwise.analysis.Explanation;
import dev.dropwise.analysis.ImportanceProfile;
import dev.dropwise.analysis.Robustness;
import dev.dropwise.data.ClassificationData;
import dev.dropwise.data.Dataset;
import dev.dropwise.dropout.DropoutSpec;
import dev.dropwise.experiments.Comparison;
import dev.dropwise.experiments.PairedDifference;
import dev.dropwise.experiments.RateSweep;
import dev.dropwise.experiments.RunExecutor;
import dev.dropwise.importance.ImportanceSpec;
import dev.dropwise.importance.Target;
import dev.dropwise.model.ModelSpec;
import dev.dropwise.network.Activation;
import dev.dropwise.network.Initializer;
import dev.dropwise.train.OptimizerSpec;
import dev.dropwise.train.ProgressListener;
import dev.dropwise.train.RunSeeds;
import dev.dropwise.train.TrainConfig;
import dev.dropwise.train.Trainer;
import dev.dropwise.train.TrainingRun;
import dev.dropwise.util.AtomicFiles;
import dev.dropwise.util.OutputDirectories;
import dev.dropwise.util.OutputFiles;
import dev.dropwise.util.ParameterException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The reproduction report: a Table 2 analogue (MLPs, methods × seeds, early stopping), the official
 * LRP-guided notebook's setting, importance profiles (Y-Drop Fig. 2), robustness curves (Fig. 3)
 * and a rate sweep, written as one Markdown page with its charts. Finished trainings are kept in a
 * runs directory, so an interrupted report resumes.
 */
public final class ReproductionReport {
  private ReproductionReport() {}

  /** Sector size of the rate sweep's sector-wise dropout (the Table 2 analogue's n). */
  static final int SWEEP_SECTOR = 8;

  /** How much to run. {@link #SMALL} finishes in minutes; {@link #FULL} takes hours. */
  public record Budget(
      String name,
      List<List<Integer>> architectures,
      List<Long> seeds,
      int maxEpochs,
      int patience,
      Integer limit,
      int officialEpochs,
      List<Integer> analysisLayers,
      int analysisEpochs,
      int analysisExamples,
      int repeats,
      double[] rates,
      List<Long> sweepSeeds,
      int sweepEpochs) {

    /**
     * The paper's scale: every training example, 5 seeds, up to 50 epochs with early stopping
     * (patience 5); takes hours.
     */
    public static final Budget FULL =
        new Budget(
            "full",
            List.of(List.of(1024, 1024), List.of(2048, 2048, 2048)),
            List.of(1L, 2L, 3L, 4L, 5L),
            50,
            5,
            null,
            2,
            List.of(1024),
            10,
            2000,
            25,
            new double[] {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7},
            List.of(1L, 2L, 3L),
            10);

    /** The full budget's architectures and methods on 3,000 examples, 2 seeds, 2 epochs. */
    public static final Budget SMALL =
        new Budget(
            "small",
            List.of(List.of(1024, 1024), List.of(2048, 2048, 2048)),
            List.of(1L, 2L),
            2,
            0,
            3000,
            1,
            List.of(1024),
            2,
            300,
            5,
            new double[] {0.25, 0.5},
            List.of(1L),
            1);

    /** The budget named {@code small} or {@code full}. */
    public static Budget named(String name) {
      return switch (name) {
        case "full" -> FULL;
        case "small" -> SMALL;
        default -> throw new ParameterException("budget", name, "not allowed; use small or full");
      };
    }
  }

  /** The runs directory's sections: one subdirectory per sweep. */
  private static final String TABLE2 = "table2";

  private static final String OFFICIAL = "official";
  private static final String SWEEP = "sweep";

  /** The methods of the Table 2 analogue and of the analyses. */
  public static final List<String> METHODS =
      List.of("none", "standard:p=0.5", "sector:n=8,p=0.5", "lrp", "ydrop", "pfid");

  /**
   * The report's first lines, by which dropwise knows a report of its own, which it may rewrite.
   */
  static final String TITLE = "# dropwise reproduction report\n";

  private static final OutputFiles.Kind OWN_REPORT = OutputFiles.Kind.beginningWith(TITLE);

  /**
   * Where the charts of {@code report} go: the sibling folder named like the report without {@code
   * .md}.
   */
  static Path chartFolder(Path report) {
    return report
        .toAbsolutePath()
        .getParent()
        .resolve(report.getFileName().toString().replaceFirst("\\.md$", ""));
  }

  /**
   * Refuses, before any work, a report path that cannot be written, and a chart folder or runs
   * directory that is neither new, empty, nor dropwise's ({@link OutputDirectories}).
   */
  public static void checkOutputs(Path report, Path runsDir) {
    checkReport(report);
    for (String section : List.of(TABLE2, OFFICIAL, SWEEP)) {
      OutputDirectories.check("runs directory", runsDir.resolve(section));
    }
  }

  /**
   * Refuses a report path that cannot be written, or a chart folder beside it that is not new,
   * empty or dropwise's.
   */
  static void checkReport(Path report) {
    OutputFiles.check("report", report, OWN_REPORT);
    OutputDirectories.check("chart folder", chartFolder(report));
  }

  /**
   * Runs everything {@code budget} asks for on {@code data} and writes {@code report} (Markdown)
   * with its charts in {@code report}'s sibling folder {@code <name>/}; {@code runsDir} keeps the
   * finished trainings. {@code partial}: train nothing, write the tables from the trainings
   * finished so far and leave out the sections that train models of their own (profiles,
   * robustness, sweep).
   */
  public static void write(
      ClassificationData data,
      Budget budget,
      Path report,
      Path runsDir,
      String command,
      ChartWriter charts,
      BiFunction<String, Long, ProgressListener> progress,
      PrintStream log,
      boolean partial)
      throws IOException {
    write(
        data, budget, report, runsDir, command, charts, progress, log, partial, RunExecutor.LOCAL);
  }

  /**
   * {@link #write} with the sweeps' runs (Table 2, the official setting, the rate sweep) trained by
   * {@code executor}.
   */
  public static void write(
      ClassificationData data,
      Budget budget,
      Path report,
      Path runsDir,
      String command,
      ChartWriter charts,
      BiFunction<String, Long, ProgressListener> progress,
      PrintStream log,
      boolean partial,
      RunExecutor executor)
      throws IOException {
    checkOutputs(report, runsDir);
    Path images = chartFolder(report);
    StringBuilder md = new StringBuilder();
    md.append(TITLE)
        .append("\nWritten by `")
        .append(command)
        .append("` (budget **")
        .append(budget.name())
        .append("**). Data: ")
        .append(data.description())
        .append(".\n\n")
        .append(
            "Every accuracy is on the test set with dropout off; ± is the sample standard deviation over seeds. ")
        .append("The numbers are what came out, whichever method they favour.\n");

    // Table 2 analogue
    TrainConfig table2 = table2Config(budget);
    Map<String, ModelSpec> specs = table2Specs(data, budget.architectures());
    List<Comparison.Run> table2Runs =
        partial
            ? Comparison.finished(
                data, specs, budget.seeds(), table2, 0.1, budget.limit(), runsDir.resolve(TABLE2))
            : Comparison.run(
                data,
                specs,
                budget.seeds(),
                table2,
                0.1,
                budget.limit(),
                progress,
                runsDir.resolve(TABLE2),
                log,
                executor);
    List<Comparison.Summary> table = Comparison.summarize(table2Runs);
    if (partial) {
      md.append(
              "\n**Partial report**: written from the trainings finished so far, training nothing: ")
          .append(table2Runs.size())
          .append(" of ")
          .append(specs.size() * budget.seeds().size())
          .append(
              " Table 2 trainings. Methods and architectures with no finished training are absent; a mean over fewer ")
          .append(
              "seeds than the budget's says so in its runs column. The run in progress resumes with the same command without `--partial`.\n");
    }
    md.append(
            "\n## Table 2 analogue\n\nSGD with momentum 0.9, lr 0.01, batch 64, 10% validation split, at most ")
        .append(budget.maxEpochs())
        .append(" epochs")
        .append(
            budget.patience() > 0
                ? ", early stopping on validation loss with patience " + budget.patience()
                : "")
        .append(", seeds ")
        .append(budget.seeds())
        .append(budget.limit() == null ? "" : ", first " + budget.limit() + " training examples")
        .append(".\n\n")
        .append(SummaryTables.markdown(table));
    md.append(
        image(charts.comparison(table, "Table 2 analogue", images), report, "Table 2 analogue"));
    md.append(
            "\nEach method against standard dropout on the same architecture, paired by seed (a seed fixes the initial ")
        .append(
            "weights, the validation split and the example order for every method), with a two-sided paired t-test; ")
        .append("a difference is called significant when its p, with Holm's correction over the ")
        .append("comparisons below, is < ")
        .append(PairedDifference.LEVEL)
        .append(".\n")
        .append(verdicts(table2Runs));

    // The official LRP-guided notebook's setting
    TrainConfig official =
        new TrainConfig(
            budget.officialEpochs(),
            64,
            new OptimizerSpec.Adam(1e-3f),
            RunSeeds.from(1),
            0,
            null,
            false);
    Map<String, ModelSpec> officialSpecs = new LinkedHashMap<>();
    for (String method : List.of("none", "standard:p=0.5", "lrp-official", "lrp")) {
      officialSpecs.put(method, mlp(data, List.of(512, 128, 64), method));
    }
    List<Comparison.Summary> officialTable =
        Comparison.summarize(
            partial
                ? Comparison.finished(
                    data,
                    officialSpecs,
                    budget.seeds(),
                    official,
                    0.1,
                    budget.limit(),
                    runsDir.resolve(OFFICIAL))
                : Comparison.run(
                    data,
                    officialSpecs,
                    budget.seeds(),
                    official,
                    0.1,
                    budget.limit(),
                    progress,
                    runsDir.resolve(OFFICIAL),
                    log,
                    executor));
    md.append("\n## The official LRP-guided notebook's setting\n\n")
        .append(officialSpecs.get("none").widths())
        .append(", Adam lr 1e-3, batch 64, ")
        .append(budget.officialEpochs())
        .append(budget.officialEpochs() == 1 ? " epoch" : " epochs")
        .append(", seeds ")
        .append(budget.seeds())
        .append(".\n\n")
        .append(
            officialTable.isEmpty()
                ? "No finished training yet.\n"
                : SummaryTables.markdown(officialTable));

    if (partial) {
      md.append(
          "\n## Importance profiles, robustness curves, rate sweep\n\nNot in a partial report: they train models of their own.\n");
      writeKeepingSmallData(report, md);
      return;
    }

    // Importance profiles and robustness curves of one model per method
    Dataset validation =
        (budget.limit() == null ? data.train() : data.train().head(budget.limit()))
            .split(0.1, RunSeeds.from(1).shuffle())
            .validation()
            .head(budget.analysisExamples());
    Dataset test = data.test().head(budget.analysisExamples());
    ImportanceSpec conductance = new ImportanceSpec.Conductance(16, Target.PREDICTED);
    List<ImportanceProfile> profiles = new ArrayList<>();
    Map<String, List<Robustness.Point>> curves = new LinkedHashMap<>();
    TrainConfig analysis =
        new TrainConfig(
            budget.analysisEpochs(),
            64,
            new OptimizerSpec.Momentum(0.01f, 0.9f),
            RunSeeds.from(1),
            0,
            null,
            false);
    Dataset.Split split =
        (budget.limit() == null ? data.train() : data.train().head(budget.limit()))
            .split(0.1, analysis.seeds().shuffle());
    for (String method : METHODS) {
      ModelSpec spec = mlp(data, budget.analysisLayers(), method);
      try (TrainingRun run =
          Trainer.train(
              spec, split.train(), split.validation(), analysis, progress.apply(method, 1L))) {
        var values = run.model().variableValues();
        Explanation explained = Explainer.explanation(spec, values::get, conductance, validation);
        profiles.add(explained.profile(method));
        // "Most important first" ranks units by the same mean |conductance| the profile sorts.
        curves.put(
            method,
            Robustness.curve(
                spec,
                values::get,
                explained.unitMeans(),
                test,
                Robustness.fractions(),
                budget.repeats(),
                1));
      }
    }
    md.append("\n## Importance profiles (Y-Drop Fig. 2)\n\nOne model per method, ")
        .append(analysisLabel(data, budget))
        .append("; mean |conductance| (16 steps) per hidden unit on ")
        .append(validation.size())
        .append(" validation ")
        .append(examples(data))
        .append(
            ", sorted, and the cumulative share; total: the layer's summed mean |conductance|, ")
        .append("and its ratio to the model trained without dropout.\n\n")
        .append(
            "| method | total | vs none | top 20% | top 40% | top 60% | top 80% |\n|---|---|---|---|---|---|---|\n");
    double plainTotal =
        profiles.stream()
            .filter(p -> p.trainedWith().equals("none"))
            .findFirst()
            .orElseThrow()
            .total(0);
    for (ImportanceProfile p : profiles) {
      md.append(
          String.format(
              Locale.ROOT,
              "| `%s` | %.4f | %.2fx | %.1f%% | %.1f%% | %.1f%% | %.1f%% |%n",
              p.trainedWith(),
              p.total(0),
              p.total(0) / plainTotal,
              100 * p.shareOfTop(0, 0.2),
              100 * p.shareOfTop(0, 0.4),
              100 * p.shareOfTop(0, 0.6),
              100 * p.shareOfTop(0, 0.8)));
    }
    md.append(
        image(
            charts.profiles(profiles, "importance profiles", images, "profiles"),
            report,
            "importance profiles"));
    md.append("\n## Robustness (Y-Drop Fig. 3)\n\nTest accuracy on ")
        .append(test.size())
        .append(" ")
        .append(examples(data))
        .append(
            " while a fraction of the hidden units is removed at inference: at random (mean ± std over ")
        .append(budget.repeats())
        .append(" draws) and most important (by conductance) first.\n\n")
        .append(robustnessTable(curves));
    md.append(
        image(
            charts.robustness(curves, "robustness", images, "robustness"),
            report,
            "robustness curves"));

    // Rate sweep
    TrainConfig sweepConfig =
        new TrainConfig(
            budget.sweepEpochs(),
            64,
            new OptimizerSpec.Momentum(0.01f, 0.9f),
            RunSeeds.from(1),
            0,
            null,
            false);
    List<RateSweep.Point> sweep =
        RateSweep.run(
            data,
            budget.analysisLayers(),
            budget.rates(),
            SWEEP_SECTOR,
            budget.sweepSeeds(),
            sweepConfig,
            0.1,
            budget.limit(),
            progress,
            runsDir.resolve(SWEEP),
            log,
            executor);
    md.append("\n## Rate sweep\n\n")
        .append(architectureLabel(data, budget))
        .append(", ")
        .append(budget.sweepEpochs())
        .append(budget.sweepEpochs() == 1 ? " epoch" : " epochs")
        .append(", seeds ")
        .append(budget.sweepSeeds())
        .append("; sector-wise with sectors of ")
        .append(SWEEP_SECTOR)
        .append(". Sector-wise dropout drops exactly round(rate·")
        .append(SWEEP_SECTOR)
        .append(") units of every ")
        .append(SWEEP_SECTOR)
        .append(
            ", so rates that round to the same count train the same models; the dropped column gives the share of units a mask drops.")
        .append("\n\n")
        .append(sweepTable(sweep));
    md.append(
        image(charts.rateSweep(sweep, "rate sweep", images, "rate-sweep"), report, "rate sweep"));
    writeKeepingSmallData(report, md);
  }

  /**
   * Writes {@code md} as the report, followed by the small-data section it held, which this command
   * does not rewrite.
   */
  private static void writeKeepingSmallData(Path report, StringBuilder md) throws IOException {
    String smallData = SmallDataStudy.SECTION.existingIn(report);
    AtomicFiles.write(report, md + (smallData.isEmpty() ? "" : "\n" + smallData));
  }

  /**
   * The Table 2 analogue's training: SGD with momentum 0.9 at lr 0.01, batch 64, the budget's
   * epochs and patience.
   */
  static TrainConfig table2Config(Budget budget) {
    return new TrainConfig(
        budget.maxEpochs(),
        64,
        new OptimizerSpec.Momentum(0.01f, 0.9f),
        RunSeeds.from(1),
        budget.patience(),
        null,
        false);
  }

  /** The Table 2 analogue's models on {@code architectures}, labelled {@code "method @ widths"}. */
  static Map<String, ModelSpec> table2Specs(
      ClassificationData data, List<List<Integer>> architectures) {
    Map<String, ModelSpec> specs = new LinkedHashMap<>();
    for (List<Integer> hidden : architectures) {
      for (String method : METHODS) {
        ModelSpec spec = mlp(data, hidden, method);
        specs.put(method + " @ " + spec.widths(), spec);
      }
    }
    return specs;
  }

  /** Where the Table 2 analogue's runs are kept under a budget's runs directory. */
  public static Path table2Runs(Path runsDir) {
    return runsDir.resolve(TABLE2);
  }

  /**
   * The robustness curves as one table: per fraction removed, each model's accuracy at random (±
   * std) and most important first.
   */
  static String robustnessTable(Map<String, List<Robustness.Point>> curves) {
    StringBuilder md = new StringBuilder("| fraction removed |");
    curves
        .keySet()
        .forEach(
            m ->
                md.append(" `")
                    .append(m)
                    .append("` random | `")
                    .append(m)
                    .append("` important first |"));
    md.append("\n|---|").append("---|---|".repeat(curves.size())).append('\n');
    for (int i = 0; i < Robustness.fractions().length; i++) {
      md.append(String.format(Locale.ROOT, "| %.2f |", Robustness.fractions()[i]));
      for (List<Robustness.Point> curve : curves.values()) {
        Robustness.Point p = curve.get(i);
        md.append(
            String.format(
                Locale.ROOT,
                " %.3f ± %.3f | %.3f |",
                p.randomMean(),
                p.randomStd(),
                p.importantFirst()));
      }
      md.append('\n');
    }
    return md.toString();
  }

  /**
   * The rate sweep's table, with the share of units each mask really drops ({@link
   * RateSweep.Point#dropped}).
   */
  static String sweepTable(List<RateSweep.Point> sweep) {
    StringBuilder table =
        new StringBuilder(
            "| method | rate | dropped | test accuracy | test loss |\n|---|---|---|---|---|\n");
    for (RateSweep.Point p : sweep) {
      table.append(
          String.format(
              Locale.ROOT,
              "| %s | %.2f | %.3f | %.4f ± %.4f | %.4f ± %.4f |%n",
              p.method(),
              p.rate(),
              p.dropped(),
              p.accuracyMean(),
              p.accuracyStd(),
              p.lossMean(),
              p.lossStd()));
    }
    return table.toString();
  }

  /** What the data's examples are called in the report's prose. */
  private static String examples(ClassificationData data) {
    return data.images() ? "images" : "examples";
  }

  private static String analysisLabel(ClassificationData data, Budget budget) {
    return architectureLabel(data, budget) + ", " + budget.analysisEpochs() + " epochs, seed 1";
  }

  private static String architectureLabel(ClassificationData data, Budget budget) {
    return data.train().featureCount()
        + "-"
        + String.join("-", budget.analysisLayers().stream().map(String::valueOf).toList())
        + "-"
        + data.train().classCount();
  }

  /**
   * Every method against standard dropout (p = 0.5) on its architecture ({@link PairedDifference}).
   */
  static String verdicts(List<Comparison.Run> runs) {
    return "\n" + PairedDifference.verdicts("standard:p=0.5", "standard dropout", runs);
  }

  static ModelSpec mlp(ClassificationData data, List<Integer> hidden, String method) {
    return ModelSpec.mlp(
        data.train().featureCount(),
        hidden,
        Activation.RELU,
        Initializer.HE_UNIFORM,
        DropoutSpec.parse(method),
        data.train().classCount());
  }

  /** A Markdown image of the PNG among {@code files}, relative to the report. */
  static String image(List<Path> files, Path report, String alt) {
    return files.stream()
        .filter(p -> p.toString().endsWith(".png"))
        .findFirst()
        .map(
            p ->
                "\n!["
                    + alt
                    + "]("
                    + report.toAbsolutePath().getParent().relativize(p.toAbsolutePath())
                    + ")\n")
        .orElse("");
  }
}
