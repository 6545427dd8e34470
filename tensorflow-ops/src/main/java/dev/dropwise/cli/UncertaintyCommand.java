package dev.dropwise.cli;

import dev.dropwise.analysis.Calibration;
import dev.dropwise.analysis.UncertaintyEvaluation;
import dev.dropwise.data.DataSource;
import dev.dropwise.data.Dataset;
import dev.dropwise.export.ServingModel;
import dev.dropwise.train.ConsoleProgress;
import dev.dropwise.util.AtomicFiles;
import dev.dropwise.util.OutputDirectories;
import dev.dropwise.util.TextTable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "uncertainty",
    mixinStandardHelpOptions = true,
    description =
        "How trustworthy an exported model's uncertainty is on the test set: accuracy, negative "
            + "log-likelihood, Brier score, ECE (15 equal-width bins) and adaptive ECE, the reliability "
            + "diagram's bins and the risk-coverage curve with its area (AURC); with --ood, how well "
            + "each uncertainty score detects examples from another source (AUROC, FPR at 95% TPR). "
            + "serving_default and Monte Carlo dropout side by side.")
final class UncertaintyCommand implements Callable<Integer> {
  @Mixin DataOption data = new DataOption();

  @Mixin ModelDirOption model = new ModelDirOption();

  @Option(
      names = "--mc",
      paramLabel = "T",
      description =
          "Monte Carlo dropout passes (>= 2). Default: 50 where the model has the mc_dropout "
              + "signature, else serving_default alone.")
  Integer samples;

  @Option(
      names = "--ood",
      paramLabel = "SOURCE",
      description =
          "Examples from outside the training distribution (any --data source, all of its examples), "
              + "for out-of-distribution detection.")
  String ood;

  @Option(
      names = "--limit",
      defaultValue = "10000",
      description = "At most N examples of each test set. Default: ${DEFAULT-VALUE}")
  int limit;

  @Option(
      names = "--out",
      defaultValue = "out/uncertainty",
      description =
          "Directory for measures.csv, reliability.csv and risk_coverage.csv; new, empty or "
              + "dropwise's own. Default: ${DEFAULT-VALUE}")
  Path out;

  /** The passes when the model has the signature and --mc is not given. */
  static final int DEFAULT_SAMPLES = 50;

  @Override
  public Integer call() throws Exception {
    data.check();
    model.check();
    MonteCarloChecks.check(samples, limit);
    OutputDirectories.check("--out", out);
    data.checkOutside("--out", out);
    if (ood != null) {
      for (Path source : DataSource.parse(ood, "ood").paths()) {
        OutputDirectories.checkOutside("--out", out, "--ood", source);
      }
    }
    List<UncertaintyEvaluation.Result> results;
    int examples;
    try (ServingModel serving = ServingModel.load(model.dir)) {
      MonteCarloChecks.checkModel(samples, serving, model.dir);
      Dataset test = data.loadFor(serving, model.dir).test().head(limit);
      Dataset outside = ood == null ? null : data.loadOutside(ood, serving).head(limit);
      int passes = samples != null ? samples : serving.hasMonteCarlo() ? DEFAULT_SAMPLES : 0;
      if (serving.temperature() != 1) {
        System.out.printf(
            Locale.ROOT,
            "serving_default divides its logits by the temperature %.4f (train --calibrate); "
                + "the Monte Carlo passes do not%n",
            serving.temperature());
      }
      examples = test.size();
      if (passes > 0) {
        ConsoleProgress.Counter progress =
            ConsoleProgress.counter(System.out, "Monte Carlo passes", passes);
        try (progress) {
          results = UncertaintyEvaluation.evaluate(serving, test, outside, passes, progress);
        }
      } else {
        results = UncertaintyEvaluation.evaluate(serving, test, outside, 0, done -> {});
        System.out.println(
            "serving_default alone: the model has no mc_dropout signature ("
                + ServingModel.MONTE_CARLO_NEEDS
                + ")");
      }
    }
    print(results, examples);
    OutputDirectories.claim("--out", out);
    write(results);
    System.out.println("measures, reliability bins and risk-coverage curves: " + out);
    return 0;
  }

  /** Every measure any predictor has, in the order they first appear. */
  private static List<String> measureNames(List<UncertaintyEvaluation.Result> results) {
    List<String> names = new ArrayList<>();
    results.forEach(
        r -> r.measures().keySet().stream().filter(m -> !names.contains(m)).forEach(names::add));
    return names;
  }

  private static void print(List<UncertaintyEvaluation.Result> results, int examples) {
    List<String> header = new ArrayList<>(List.of("measure"));
    results.forEach(r -> header.add(r.predictor()));
    TextTable table = new TextTable(header.toArray(String[]::new));
    for (String measure : measureNames(results)) {
      List<Object> row = new ArrayList<>(List.of(measure));
      for (UncertaintyEvaluation.Result r : results) {
        Double v = r.measures().get(measure);
        row.add(v == null ? "" : String.format(Locale.ROOT, "%.4f", v));
      }
      table.row(row.toArray());
    }
    System.out.println(examples + " test examples:");
    System.out.print(table);
  }

  private void write(List<UncertaintyEvaluation.Result> results) throws IOException {
    List<String> measures = measureNames(results);
    StringBuilder csv = new StringBuilder("predictor," + String.join(",", measures) + "\n");
    StringBuilder bins = new StringBuilder("predictor,lower,upper,count,confidence,accuracy\n");
    StringBuilder curves = new StringBuilder("predictor,coverage,risk\n");
    for (UncertaintyEvaluation.Result r : results) {
      csv.append(r.predictor());
      for (String m : measures) {
        Double v = r.measures().get(m);
        csv.append(',').append(v == null ? "" : v.toString());
      }
      csv.append('\n');
      for (Calibration.Bin b : r.reliability()) {
        bins.append(
            String.format(
                Locale.ROOT,
                "%s,%s,%s,%d,%s,%s\n",
                r.predictor(),
                b.lower(),
                b.upper(),
                b.count(),
                b.confidence(),
                b.accuracy()));
      }
      for (int k = 0; k < r.riskCoverage().risk().length; k++) {
        curves
            .append(r.predictor())
            .append(',')
            .append(r.riskCoverage().coverage()[k])
            .append(',')
            .append(r.riskCoverage().risk()[k])
            .append('\n');
      }
    }
    AtomicFiles.write(out.resolve("measures.csv"), csv.toString());
    AtomicFiles.write(out.resolve("reliability.csv"), bins.toString());
    AtomicFiles.write(out.resolve("risk_coverage.csv"), curves.toString());
  }
}
