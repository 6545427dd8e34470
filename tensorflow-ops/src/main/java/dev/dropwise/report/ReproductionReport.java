package dev.dropwise.report;

import dev.dropwise.analysis.Explainer;
import dev.dropwise.analysis.Explanation;
import dev.dropwise.analysis.ImportanceProfile;
import dev.dropwise.analysis.Robustness;
import dev.dropwise.data.ClassificationData;
import dev.dropwise.data.Dataset;
import dev.dropwise.dropout.DropoutSpec;
import dev.dropwise.experiments.Comparison;
import dev.dropwise.experiments.RateSweep;
import dev.dropwise.experiments.RunExecutor;
import dev.dropwise.importance.ImportanceSpec;
import dev.dropwise.importance.Target;
import dev.dropwise.model.ModelSpec;
import dev.dropwise.network.Activation;
import dev.dropwise.network.Initializer;
import dev.dropwise.report.ReproductionPlan.Budget;
import dev.dropwise.train.ProgressListener;
import dev.dropwise.train.RunSeeds;
import dev.dropwise.train.TrainConfig;
import dev.dropwise.train.Trainer;
import dev.dropwise.train.TrainingRun;
import dev.dropwise.util.AtomicFiles;
import dev.dropwise.util.OutputDirectories;
import dev.dropwise.util.OutputFiles;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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

  /** The runs directory's sections: one subdirectory per sweep. */
  private static final String TABLE2 = "table2";

  private static final String OFFICIAL = "official";
  private static final String SWEEP = "sweep";

  /** The methods of the Table 2 analogue and of the analyses. */
  public static final List<String> METHODS = ReproductionPlan.METHODS;

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
    StringBuilder md = new StringBuilder(ReproductionPage.header(command, budget, data));

    // Table 2 analogue
    TrainConfig table2 = budget.table2Config();
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
          ReproductionPage.partialNote(table2Runs.size(), specs.size() * budget.seeds().size()));
    }
    md.append(
        ReproductionPage.table2(
            budget,
            table,
            ReproductionPage.image(
                charts.comparison(table, "Table 2 analogue", images), report, "Table 2 analogue"),
            table2Runs));

    // The official LRP-guided notebook's setting
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
                    budget.officialConfig(),
                    0.1,
                    budget.limit(),
                    runsDir.resolve(OFFICIAL))
                : Comparison.run(
                    data,
                    officialSpecs,
                    budget.seeds(),
                    budget.officialConfig(),
                    0.1,
                    budget.limit(),
                    progress,
                    runsDir.resolve(OFFICIAL),
                    log,
                    executor));
    md.append(ReproductionPage.official(budget, officialSpecs.get("none").widths(), officialTable));

    if (partial) {
      md.append(ReproductionPage.NOT_IN_A_PARTIAL_REPORT);
      writeKeepingStudies(report, md);
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
    TrainConfig analysis = budget.analysisConfig();
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
    md.append(
        ReproductionPage.profiles(
            data,
            budget,
            validation.size(),
            profiles,
            ReproductionPage.image(
                charts.profiles(profiles, "importance profiles", images, "profiles"),
                report,
                "importance profiles")));
    md.append(
        ReproductionPage.robustness(
            data,
            budget,
            test.size(),
            curves,
            ReproductionPage.image(
                charts.robustness(curves, "robustness", images, "robustness"),
                report,
                "robustness curves")));

    // Rate sweep
    List<RateSweep.Point> sweep =
        RateSweep.run(
            data,
            budget.analysisLayers(),
            budget.rates(),
            ReproductionPage.SWEEP_SECTOR,
            budget.sweepSeeds(),
            budget.sweepConfig(),
            0.1,
            budget.limit(),
            progress,
            runsDir.resolve(SWEEP),
            log,
            executor);
    md.append(
        ReproductionPage.sweep(
            data,
            budget,
            sweep,
            ReproductionPage.image(
                charts.rateSweep(sweep, "rate sweep", images, "rate-sweep"),
                report,
                "rate sweep")));
    writeKeepingStudies(report, md);
  }

  /**
   * Writes {@code md} as the report, followed by the sections of the studies it held (small data,
   * uncertainty), which this command does not rewrite.
   */
  private static void writeKeepingStudies(Path report, StringBuilder md) throws IOException {
    StringBuilder out = new StringBuilder(md);
    for (MarkedSection study : List.of(SmallDataStudy.SECTION, UncertaintyStudy.SECTION)) {
      String kept = study.existingIn(report);
      out.append(kept.isEmpty() ? "" : "\n" + kept);
    }
    AtomicFiles.write(report, out.toString());
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

  static ModelSpec mlp(ClassificationData data, List<Integer> hidden, String method) {
    return ModelSpec.mlp(
        data.train().featureCount(),
        hidden,
        Activation.RELU,
        Initializer.HE_UNIFORM,
        DropoutSpec.parse(method),
        data.train().classCount());
  }
}
