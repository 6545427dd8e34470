package dev.dropwise.report;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.dropwise.analysis.Explainer;
import dev.dropwise.analysis.Explanation;
import dev.dropwise.analysis.Robustness;
import dev.dropwise.data.ClassificationData;
import dev.dropwise.data.DataSpec;
import dev.dropwise.data.Dataset;
import dev.dropwise.dropout.DropoutMethods;
import dev.dropwise.experiments.Comparison;
import dev.dropwise.experiments.Holm;
import dev.dropwise.experiments.PairedDifference;
import dev.dropwise.importance.ImportanceSpec;
import dev.dropwise.importance.Target;
import dev.dropwise.model.ModelSpec;
import dev.dropwise.train.EpochRecord;
import dev.dropwise.train.OptimizerSpec;
import dev.dropwise.train.ProgressListener;
import dev.dropwise.train.RunSeeds;
import dev.dropwise.train.TrainConfig;
import dev.dropwise.train.Trainer;
import dev.dropwise.train.TrainingRun;
import dev.dropwise.util.AtomicFiles;
import dev.dropwise.util.Json;
import dev.dropwise.util.OutputDirectories;
import dev.dropwise.util.ParameterException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

/**
 * The report's small-data section: where does knowing which units matter pay off? The Y-Drop paper
 * (§5, Table 3) finds its gains largest where data is scarce. Here every method is trained on
 * Fashion-MNIST subsets (stratified, drawn by the seed) and on the small tables Debian's
 * python3-sklearn ships, with early stopping on a validation split, and compared with standard
 * dropout at the rate a search on the validation split chose ("tuned standard"), paired by seed,
 * with Holm's correction over every comparison of the section. Finished trainings are kept, so the
 * section resumes and a rerun trains nothing new.
 */
public final class SmallDataStudy {
  private SmallDataStudy() {}

  /**
   * The methods compared with tuned standard dropout; targeted dropout is the examples module's
   * plugin.
   */
  public static final List<String> METHODS =
      List.of(
          "none",
          "standard:p=0.5",
          "sector:n=8,p=0.5",
          "lrp",
          "ydrop",
          "pfid",
          "targeted:gamma=0.5,alpha=0.5");

  /** The methods whose robustness (Y-Drop Fig. 3) is measured at the smallest sizes. */
  static final List<String> ROBUSTNESS_METHODS = List.of("none", "standard:p=0.5", "ydrop");

  /** The share of each training set held out for validation and early stopping. */
  static final double VALIDATION = 0.1;

  /** The chart's baseline: standard dropout at the rate the methods' defaults use. */
  static final String STANDARD = "standard:p=0.5";

  /**
   * Where the section begins and ends in the report file, so that either part of the report can be
   * rewritten alone.
   */
  static final String BEGIN = "<!-- small-data: begin -->";

  static final String END = "<!-- small-data: end -->";

  /**
   * A Fashion-MNIST training subset of {@code examples} images, stratified, drawn anew by each
   * seed.
   */
  public record Size(int examples, List<Long> seeds) {}

  /** A table of Debian's python3-sklearn, with the MLP chosen for it and why. */
  public record Table(String name, String source, List<Integer> hidden, String why) {}

  private static final String SKLEARN = "/usr/lib/python3/dist-packages/sklearn/datasets/data/";
  static final List<Table> TABLES =
      List.of(
          new Table(
              "wine",
              "csv:" + SKLEARN + "wine_data.csv",
              List.of(64),
              "178 rows, 13 features, 3 classes: one hidden layer of 64 units already has more weights than the 128 training rows can pin down"),
          new Table(
              "breast cancer",
              "csv:" + SKLEARN + "breast_cancer.csv",
              List.of(64),
              "569 rows, 30 features, 2 classes: the same single hidden layer of 64"),
          new Table(
              "digits",
              "csv:" + SKLEARN + "digits.csv.gz",
              List.of(256, 256),
              "1,797 8x8 images as 64 features, 10 classes: two hidden layers of 256, a small image MLP"));

  /**
   * How much to run. {@link #SMALL} is what CI runs, in minutes; {@link #FULL} takes hours.
   *
   * @param methods compared with tuned standard dropout ({@link #METHODS})
   * @param hidden the Fashion-MNIST MLP's hidden layers
   */
  public record Budget(
      String name,
      List<String> methods,
      List<Integer> hidden,
      List<Size> sizes,
      List<Table> tables,
      List<Long> tableSeeds,
      double[] rates,
      int maxEpochs,
      int patience,
      List<Integer> robustnessSizes,
      int robustnessExamples,
      int repeats) {

    /**
     * Fashion-MNIST subsets of 1,000 and 5,000 examples (10 seeds) and 20,000 (5 seeds), the tables
     * with 10 seeds, up to 100 epochs (patience 10); takes hours.
     */
    public static final Budget FULL =
        new Budget(
            "full",
            METHODS,
            List.of(1024, 1024),
            List.of(
                new Size(1000, seeds(10)), new Size(5000, seeds(10)), new Size(20000, seeds(5))),
            TABLES,
            seeds(10),
            new double[] {0.1, 0.3, 0.5, 0.7},
            100,
            10,
            List.of(1000, 5000),
            2000,
            10);

    /**
     * One Fashion-MNIST subset of 300 examples, 2 seeds everywhere, up to 3 epochs (patience 2):
     * what CI runs.
     */
    public static final Budget SMALL =
        new Budget(
            "small",
            METHODS,
            List.of(1024, 1024),
            List.of(new Size(300, seeds(2))),
            TABLES,
            seeds(2),
            new double[] {0.3, 0.5},
            3,
            2,
            List.of(300),
            200,
            2);

    /** The budget named {@code small} or {@code full}. */
    public static Budget named(String name) {
      return switch (name) {
        case "full" -> FULL;
        case "small" -> SMALL;
        default -> throw new ParameterException("budget", name, "not allowed; use small or full");
      };
    }

    static List<Long> seeds(int n) {
      return LongStream.rangeClosed(1, n).boxed().toList();
    }
  }

  /**
   * One method's accuracy difference to standard dropout at one training-set size, for the chart.
   */
  public record SizePoint(String method, int examples, double meanPoints, double halfWidthPoints) {}

  /**
   * One data set of the study: its runs by method label, the tuned rate and the validation accuracy
   * per rate.
   */
  private record Arm(
      String title,
      String label,
      int examples,
      int seeds,
      Map<String, List<Comparison.Run>> runs,
      double tunedRate,
      Map<Double, Double> validationByRate,
      String design) {

    /**
     * The fewest finished runs of any of its models: below {@link #seeds} while the arm is still
     * training.
     */
    int finished(List<String> models) {
      return models.stream()
          .mapToInt(
              m -> (int) runs.getOrDefault(m, List.of()).stream().filter(r -> !r.failed()).count())
          .min()
          .orElse(0);
    }

    List<Comparison.Run> tuned() {
      return runs.get(standard(tunedRate));
    }
  }

  /**
   * Refuses, before any work, what would stop the section: the targeted plugin missing, a table
   * missing.
   */
  public static void check(Budget budget) {
    if (budget.methods().stream().anyMatch(m -> m.startsWith("targeted"))
        && DropoutMethods.find("targeted").isEmpty()) {
      throw new IllegalArgumentException(
          "the small-data section compares targeted dropout, the plugin of the examples "
              + "module: build it (mvn -q -B -pl examples -am install -DskipTests) and run with "
              + "DROPWISE_PLUGINS=examples/target/dropwise-examples-0.1.0-SNAPSHOT.jar");
    }
    for (Table t : budget.tables()) {
      DataSpec.of(t.source()).check();
    }
  }

  /**
   * Refuses, before any work, a report that cannot be written, a chart folder beside it and the
   * runs directories under {@code runsDir} (one per data set and the robustness curves') that are
   * neither new, empty, nor dropwise's.
   */
  public static void checkOutputs(Budget budget, Path report, Path runsDir) {
    ReproductionReport.checkReport(report);
    for (String label : labels(budget)) {
      OutputDirectories.check("runs directory", runsDir.resolve(label));
    }
  }

  /** The data sets' labels, which name their runs directories, and the robustness curves'. */
  private static List<String> labels(Budget budget) {
    List<String> labels = new ArrayList<>();
    budget.sizes().forEach(size -> labels.add(fashionLabel(size.examples())));
    budget.tables().forEach(t -> labels.add(tableLabel(t)));
    labels.add(ROBUSTNESS);
    return labels;
  }

  private static final String ROBUSTNESS = "robustness";

  private static String fashionLabel(int examples) {
    return "fashion-" + examples;
  }

  private static String tableLabel(Table table) {
    return table.name().replace(' ', '-');
  }

  /**
   * Runs the section on {@code fashion} (the full Fashion-MNIST) and the tables, and writes it into
   * {@code report} in place of its earlier version (appended when it has none); {@code table2Runs}:
   * the full report's Table 2 runs, whose models of the same hidden layers give the chart's largest
   * size.
   */
  public static void write(
      ClassificationData fashion,
      Budget budget,
      ReproductionReport.Budget reportBudget,
      Path report,
      Path runsDir,
      Path table2Runs,
      String command,
      ChartWriter charts,
      BiFunction<String, Long, ProgressListener> progress,
      PrintStream log,
      boolean partial)
      throws IOException {
    check(budget);
    checkOutputs(budget, report, runsDir);
    TrainConfig config =
        new TrainConfig(
            budget.maxEpochs(),
            64,
            new OptimizerSpec.Momentum(0.01f, 0.9f),
            RunSeeds.from(1),
            budget.patience(),
            null,
            false);
    // The robustness models first and the tables next: they train in minutes, the Fashion-MNIST
    // subsets in hours.
    Path images = ReproductionReport.chartFolder(report);
    String robustness =
        robustness(
            fashion,
            budget,
            config,
            runsDir.resolve(ROBUSTNESS),
            report,
            images,
            charts,
            progress,
            partial);
    List<Arm> arms = new ArrayList<>();
    for (Table table : budget.tables()) {
      String label = tableLabel(table);
      ClassificationData first = tableSplit(table, budget.tableSeeds().get(0));
      arms.add(
          arm(
              table.name() + " (" + first.train().size() + " training rows)",
              label,
              first.train().size(),
              table.hidden(),
              budget.tableSeeds(),
              seed -> tableSplit(table, seed),
              budget,
              config,
              runsDir.resolve(label),
              progress,
              log,
              partial));
    }
    for (Size size : budget.sizes()) {
      String label = fashionLabel(size.examples());
      arms.add(
          arm(
              "Fashion-MNIST, "
                  + String.format(Locale.ROOT, "%,d", size.examples())
                  + " training images",
              label,
              size.examples(),
              budget.hidden(),
              size.seeds(),
              seed -> subset(fashion, size.examples(), seed),
              budget,
              config,
              runsDir.resolve(label),
              progress,
              log,
              partial));
    }
    StringBuilder md =
        new StringBuilder(BEGIN)
            .append("\n## Small data: where does knowing which units matter pay off?\n\n")
            .append("Written by `")
            .append(command)
            .append("` (budget **")
            .append(budget.name())
            .append("**).\n\n")
            .append(design(budget, config));
    md.append(results(arms, budget));
    md.append(sizeChart(arms, budget, fashion, reportBudget, table2Runs, report, images, charts));
    md.append(robustness).append(END).append('\n');
    replaceSection(report, md.toString());
  }

  private interface DataForSeed {
    ClassificationData of(long seed) throws IOException;
  }

  /** One data set: every method and every searched standard rate, each seed on that seed's data. */
  private static Arm arm(
      String title,
      String label,
      int examples,
      List<Integer> hidden,
      List<Long> seeds,
      DataForSeed dataFor,
      Budget budget,
      TrainConfig config,
      Path runsDir,
      BiFunction<String, Long, ProgressListener> progress,
      PrintStream log,
      boolean partial)
      throws IOException {
    Map<String, List<Comparison.Run>> runs = new LinkedHashMap<>();
    String design = null;
    for (long seed : seeds) {
      ClassificationData data = dataFor.of(seed);
      Map<String, ModelSpec> specs = new LinkedHashMap<>();
      for (String method : methods(budget)) {
        specs.put(method, ReproductionReport.mlp(data, hidden, method));
      }
      design = specs.get("none").widths();
      List<Comparison.Run> done =
          partial
              ? Comparison.finished(data, specs, List.of(seed), config, VALIDATION, null, runsDir)
              : Comparison.run(
                  data, specs, List.of(seed), config, VALIDATION, null, progress, runsDir, log);
      done.forEach(r -> runs.computeIfAbsent(r.method(), k -> new ArrayList<>()).add(r));
    }
    // The rate search: the rate whose models reach the best mean validation accuracy, ties to the
    // lower rate.
    Map<Double, Double> byRate = new LinkedHashMap<>();
    double best = Double.NaN;
    for (double rate : budget.rates()) {
      double mean =
          runs.getOrDefault(standard(rate), List.of()).stream()
              .filter(r -> !r.failed())
              .mapToDouble(SmallDataStudy::finalValidationAccuracy)
              .average()
              .orElse(Double.NaN);
      byRate.put(rate, mean);
      if (!Double.isNaN(mean) && (Double.isNaN(best) || mean > byRate.get(best))) {
        best = rate;
      }
    }
    return new Arm(title, label, examples, seeds.size(), runs, best, byRate, design);
  }

  /**
   * What a rate search's tie says: {@code ", tied with rate 0.7 (the lower rate is taken)"} where
   * other rates reach the tuned rate's mean validation accuracy exactly (to rounding), else empty.
   */
  static String ties(Map<Double, Double> validationByRate, double tunedRate) {
    double best = validationByRate.get(tunedRate);
    List<String> tied =
        validationByRate.entrySet().stream()
            .filter(e -> e.getKey() != tunedRate && Math.abs(e.getValue() - best) <= 1e-9)
            .map(e -> String.format(Locale.ROOT, "%.1f", e.getKey()))
            .toList();
    return tied.isEmpty()
        ? ""
        : ", tied with rate " + String.join(" and ", tied) + " (the lower rate is taken)";
  }

  /**
   * The compared methods, then standard dropout at each searched rate (0.5 is among the methods
   * already).
   */
  static List<String> methods(Budget budget) {
    List<String> out = new ArrayList<>(budget.methods());
    for (double rate : budget.rates()) {
      if (!out.contains(standard(rate))) {
        out.add(standard(rate));
      }
    }
    return out;
  }

  static String standard(double rate) {
    return "standard:p=" + rate;
  }

  /** The validation accuracy of the model a run ended with (the one its test accuracy is of). */
  static double finalValidationAccuracy(Comparison.Run run) {
    EpochRecord last = run.history().get(run.history().size() - 1);
    return last.validationAccuracy() == null ? Double.NaN : last.validationAccuracy();
  }

  /**
   * Fashion-MNIST with its training set cut to {@code examples} images, each class in its share
   * (stratified; Fashion-MNIST's classes are equal), drawn by {@code seed}; the test set stays
   * whole.
   */
  static ClassificationData subset(ClassificationData fashion, int examples, long seed) {
    Dataset all = fashion.train();
    Dataset drawn =
        examples >= all.size()
            ? all
            : DataSpec.stratifiedSplit(all, (double) examples / all.size(), seed)[1];
    return new ClassificationData(
        drawn,
        fashion.test(),
        fashion.description()
            + "; "
            + drawn.size()
            + " training images drawn by seed "
            + seed
            + " (stratified)",
        fashion.classNames(),
        fashion.shape(),
        fashion.preprocessing(),
        null);
  }

  /**
   * A table with its test split (20%, stratified) drawn by {@code seed}, standardised on its
   * training rows.
   */
  static ClassificationData tableSplit(Table table, long seed) throws IOException {
    return new DataSpec(table.source(), null, DataSpec.DEFAULT_TEST_FRACTION, seed, null, null)
        .load();
  }

  private static String design(Budget budget, TrainConfig config) {
    StringBuilder md = new StringBuilder();
    md.append(
            "The full-budget Table 2 analogue found no importance-guided method that beats standard dropout with ")
        .append(
            "54,000 training images; the Y-Drop paper (§5, Table 3) reports its gains largest where data is scarce. ")
        .append("This section tests that where this machine can.\n\n")
        .append("- **Data**: Fashion-MNIST training subsets of ")
        .append(
            budget.sizes().stream()
                .map(
                    s ->
                        String.format(Locale.ROOT, "%,d", s.examples())
                            + " ("
                            + s.seeds().size()
                            + " seeds)")
                .collect(Collectors.joining(", ")))
        .append(
            " images, each class in its share (Fashion-MNIST's are equal), drawn anew by each seed, with the whole test set; ")
        .append(
            "and the tables of Debian's python3-sklearn, each with a 20% stratified test split drawn by the seed (")
        .append(budget.tableSeeds().size())
        .append(" seeds), features standardised on the training rows.\n");
    for (Table t : budget.tables()) {
      md.append("- **")
          .append(t.name())
          .append("**: hidden layers ")
          .append(t.hidden())
          .append(": ")
          .append(t.why())
          .append(".\n");
    }
    md.append("- **Fashion-MNIST model**: hidden layers ")
        .append(budget.hidden())
        .append(", as in the Table 2 analogue.\n")
        .append(
            "- **Training**, the same for every method: SGD with momentum 0.9, lr 0.01, batch 64 (the Table 2 analogue's), ")
        .append("10% of the training set held out for validation, at most ")
        .append(config.epochs())
        .append(" epochs, early stopping when the validation loss has not fallen for ")
        .append(config.patience())
        .append(" epochs; test accuracy with dropout off, of the model training ended with.\n")
        .append("- **Methods**: ")
        .append(budget.methods().stream().map(m -> "`" + m + "`").collect(Collectors.joining(", ")))
        .append(". **Tuned standard**: standard dropout at the rate among ")
        .append(Arrays.toString(budget.rates()))
        .append(
            " whose models reach the best mean validation accuracy over the seeds (never the test set).\n")
        .append(
            "- **Statistics**: each method against tuned standard dropout, paired by seed (a seed fixes the subset or ")
        .append(
            "split, the initial weights, the validation split and the example order for every method): the mean ")
        .append(
            "difference in points with its 95% confidence interval, the paired t-test, and Holm's correction over ")
        .append(
            "every comparison of the section. A difference is called significant when its Holm-adjusted p < ")
        .append(PairedDifference.LEVEL)
        .append(".\n");
    return md.toString();
  }

  /**
   * Per data set: the rate search, the table against tuned standard dropout, a verdict; Holm over
   * all of them.
   */
  private static String results(List<Arm> arms, Budget budget) {
    Map<String, PairedDifference> differences = new LinkedHashMap<>();
    for (Arm arm : arms) {
      for (String method : budget.methods()) {
        List<Comparison.Run> mine = arm.runs().get(method);
        if (mine != null && arm.tuned() != null && !method.equals(standard(arm.tunedRate()))) {
          PairedDifference d = PairedDifference.of(mine, arm.tuned());
          differences.put(arm.label() + "|" + method, d);
        }
      }
    }
    double[] raw = differences.values().stream().mapToDouble(PairedDifference::p).toArray();
    double[] adjusted = Holm.adjust(raw);
    Map<String, Double> holm = new LinkedHashMap<>();
    int i = 0;
    for (String key : differences.keySet()) {
      holm.put(key, adjusted[i++]);
    }
    StringBuilder md =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "%nHolm's correction runs over the %d tests below.%n",
                Arrays.stream(raw).filter(p -> !Double.isNaN(p)).count()));
    for (Arm arm : arms) {
      md.append("\n### ")
          .append(arm.title())
          .append("\n\n")
          .append(arm.design())
          .append(". Rate search (mean validation accuracy): ")
          .append(
              arm.validationByRate().entrySet().stream()
                  .map(e -> String.format(Locale.ROOT, "rate %.1f: %.4f", e.getKey(), e.getValue()))
                  .collect(Collectors.joining(", ")));
      if (Double.isNaN(arm.tunedRate())) {
        md.append(". No finished training yet.\n");
        continue;
      }
      md.append(
              String.format(
                  Locale.ROOT,
                  "; **tuned standard: rate %.1f**%s.%n%n",
                  arm.tunedRate(),
                  ties(arm.validationByRate(), arm.tunedRate())))
          .append(
              "| method | test accuracy | runs | epochs | vs tuned standard (points, 95% CI) | p | Holm p |\n")
          .append("|---|---|---|---|---|---|---|\n");
      List<String> better = new ArrayList<>();
      List<String> worse = new ArrayList<>();
      // The compared methods, then the searched rates that are not among them.
      for (String method : arm.runs().keySet()) {
        List<Comparison.Run> mine =
            arm.runs().get(method).stream().filter(r -> !r.failed()).toList();
        double[] acc = mine.stream().mapToDouble(Comparison.Run::testAccuracy).toArray();
        String row =
            String.format(
                Locale.ROOT,
                "| `%s`%s | %.4f ± %.4f | %d | %.0f |",
                method,
                method.equals(standard(arm.tunedRate())) ? " (tuned)" : "",
                Comparison.mean(acc),
                Comparison.std(acc),
                mine.size(),
                mine.stream().mapToInt(Comparison.Run::epochs).average().orElse(0));
        PairedDifference d = differences.get(arm.label() + "|" + method);
        if (d == null || method.equals(standard(arm.tunedRate()))) {
          md.append(row).append(" — | — | — |\n");
          continue;
        }
        double adjustedP = holm.get(arm.label() + "|" + method);
        md.append(row)
            .append(
                Double.isNaN(d.halfWidthPoints())
                    ? String.format(Locale.ROOT, " %+.2f |", d.meanPoints())
                    : String.format(
                        Locale.ROOT,
                        " %+.2f (%+.2f to %+.2f) |",
                        d.meanPoints(),
                        d.meanPoints() - d.halfWidthPoints(),
                        d.meanPoints() + d.halfWidthPoints()))
            .append(
                Double.isNaN(d.p())
                    ? " no test | — |\n"
                    : String.format(Locale.ROOT, " %.3f | %.3f |%n", d.p(), adjustedP));
        if (adjustedP < PairedDifference.LEVEL) {
          (d.meanPoints() > 0 ? better : worse)
              .add(
                  "`" + method + "` (" + String.format(Locale.ROOT, "%+.2f", d.meanPoints()) + ")");
        }
      }
      int finished = arm.finished(methods(budget));
      md.append("\n**Verdict**: ")
          .append(
              finished < arm.seeds()
                  ? String.format(
                      Locale.ROOT,
                      "none yet: still training (%d of %d seeds finished for every model).",
                      finished,
                      arm.seeds())
                  : verdict(arm, better, worse))
          .append('\n');
    }
    return md.toString();
  }

  private static String verdict(Arm arm, List<String> better, List<String> worse) {
    if (better.isEmpty() && worse.isEmpty()) {
      return "after Holm's correction no method differs significantly from standard dropout at its tuned rate ("
          + arm.tunedRate()
          + ").";
    }
    return (better.isEmpty()
            ? "no method beats"
            : String.join(", ", better) + " beat" + (better.size() == 1 ? "s" : ""))
        + " standard dropout at its tuned rate ("
        + arm.tunedRate()
        + ")"
        + (worse.isEmpty()
            ? ""
            : "; " + String.join(", ", worse) + (worse.size() == 1 ? " loses" : " lose") + " to it")
        + ", significantly after Holm's correction.";
  }

  /**
   * The chart: each method's difference to standard dropout at p = 0.5 against the training-set
   * size, with 95% CIs; the largest size from the full report's Table 2 runs when they are there.
   */
  private static String sizeChart(
      List<Arm> arms,
      Budget budget,
      ClassificationData fashion,
      ReproductionReport.Budget reportBudget,
      Path table2Runs,
      Path report,
      Path images,
      ChartWriter charts)
      throws IOException {
    List<SizePoint> points = new ArrayList<>();
    // Keyed by the images trained on: the validation split leaves that many of each size.
    Map<Integer, Map<String, PairedDifference>> bySize = new LinkedHashMap<>();
    // The same against the rate the search chose on that subset; none for the Table 2 runs.
    Map<Integer, Map<String, PairedDifference>> byTuned = new LinkedHashMap<>();
    Map<Integer, Double> tunedRates = new LinkedHashMap<>();
    for (Arm arm : arms) {
      if (arm.label().equals(fashionLabel(arm.examples()))) {
        int n = trainedOn(arm.examples());
        bySize.put(
            n,
            PairedDifference.against(
                STANDARD, arm.runs().values().stream().flatMap(List::stream).toList()));
        if (arm.tuned() != null) {
          Map<String, PairedDifference> againstTuned = new LinkedHashMap<>();
          arm.runs()
              .forEach(
                  (method, runs) -> {
                    if (!method.equals(standard(arm.tunedRate()))) {
                      againstTuned.put(method, PairedDifference.of(runs, arm.tuned()));
                    }
                  });
          byTuned.put(n, againstTuned);
          tunedRates.put(n, arm.tunedRate());
        }
      }
    }
    Map<String, ModelSpec> table2 =
        ReproductionReport.table2Specs(fashion, List.of(budget.hidden()));
    List<Comparison.Run> full =
        Files.isDirectory(table2Runs)
            ? Comparison.finished(
                fashion,
                table2,
                reportBudget.seeds(),
                ReproductionReport.table2Config(reportBudget),
                VALIDATION,
                reportBudget.limit(),
                table2Runs)
            : List.of();
    if (!full.isEmpty()) {
      // The Table 2 runs are labelled "method @ widths", on one architecture here.
      Map<String, PairedDifference> byMethod = new LinkedHashMap<>();
      PairedDifference.against(STANDARD, full)
          .forEach((label, d) -> byMethod.put(label.substring(0, label.indexOf(" @ ")), d));
      bySize.put(
          trainedOn(
              reportBudget.limit() == null
                  ? fashion.train().size()
                  : Math.min(reportBudget.limit(), fashion.train().size())),
          byMethod);
    }
    StringBuilder md =
        new StringBuilder(
                "\n### The gap against training-set size\n\nEach method's test accuracy minus ")
            .append(
                "standard dropout's at p = 0.5, and beside it minus standard dropout's at the rate the search chose on that subset (\"tuned\", its rate in the header); points, mean over paired seeds, 95% CI, on Fashion-MNIST with hidden layers ")
            .append(budget.hidden())
            .append("; ")
            .append("sizes are the images trained on (after the 10% validation split)");
    md.append(
        full.isEmpty()
            ? ".\n\n"
            : "; the largest size is the full report's Table 2 analogue (its runs, at most "
                + reportBudget.maxEpochs()
                + " epochs with patience "
                + reportBudget.patience()
                + ", no targeted dropout and no rate search).\n\n");
    List<Integer> sizes = new ArrayList<>(bySize.keySet());
    md.append("| method |");
    for (int n : sizes) {
      md.append(String.format(Locale.ROOT, " %,d vs p = 0.5 |", n));
      if (tunedRates.containsKey(n)) {
        md.append(String.format(Locale.ROOT, " %,d vs tuned (%.1f) |", n, tunedRates.get(n)));
      }
    }
    md.append("\n|---|").append("---|".repeat(sizes.size() + tunedRates.size())).append('\n');
    for (String method : budget.methods()) {
      boolean againstHalf = !method.equals(STANDARD);
      if (!againstHalf && byTuned.values().stream().noneMatch(t -> t.containsKey(method))) {
        continue;
      }
      md.append("| `").append(method).append("` |");
      for (int n : sizes) {
        PairedDifference d = againstHalf ? bySize.get(n).get(method) : null;
        md.append(cell(d));
        if (d != null) {
          points.add(
              new SizePoint(
                  method,
                  n,
                  d.meanPoints(),
                  Double.isNaN(d.halfWidthPoints()) ? 0 : d.halfWidthPoints()));
        }
        if (tunedRates.containsKey(n)) {
          md.append(cell(byTuned.get(n).get(method)));
        }
      }
      md.append('\n');
    }
    if (!points.isEmpty()) {
      md.append(
          ReproductionReport.image(
              charts.differenceBySize(
                  points,
                  "test accuracy minus standard dropout's (p = 0.5)",
                  images,
                  "small-data-gap"),
              report,
              "accuracy difference to standard dropout against training-set size"));
    }
    return md.toString();
  }

  /** A table cell: the mean difference in points with its 95% CI, or a dash where there is none. */
  private static String cell(PairedDifference d) {
    if (d == null) {
      return " — |";
    }
    return Double.isNaN(d.halfWidthPoints())
        ? String.format(Locale.ROOT, " %+.2f |", d.meanPoints())
        : String.format(Locale.ROOT, " %+.2f ± %.2f |", d.meanPoints(), d.halfWidthPoints());
  }

  /**
   * How many of {@code examples} are trained on once the validation split holds out its share (as
   * {@code Dataset.split}).
   */
  private static int trainedOn(int examples) {
    return examples - (int) Math.round(VALIDATION * examples);
  }

  /**
   * Y-Drop's Fig. 3 with little data: one model per method (seed 1) at each of the budget's
   * robustness sizes, units removed at random and most important (by conductance) first. The curves
   * are kept in {@code dir}, so a rerun trains nothing; {@code partial}: only the kept ones.
   */
  private static String robustness(
      ClassificationData fashion,
      Budget budget,
      TrainConfig config,
      Path dir,
      Path report,
      Path images,
      ChartWriter charts,
      BiFunction<String, Long, ProgressListener> progress,
      boolean partial)
      throws IOException {
    StringBuilder md =
        new StringBuilder(
                "\n### Robustness with little data (Y-Drop Fig. 3)\n\nOne model per method ")
            .append("(seed 1) on each subset, trained as above; test accuracy on ")
            .append(budget.robustnessExamples())
            .append(
                " test images while a fraction of the hidden units is removed at inference, at random (mean ± std over ")
            .append(budget.repeats())
            .append(
                " draws) and most important first (mean |conductance|, 16 steps, on the validation split).\n");
    for (int examples : budget.robustnessSizes()) {
      Map<String, List<Robustness.Point>> curves = new LinkedHashMap<>();
      ClassificationData data = subset(fashion, examples, 1);
      Dataset.Split split = data.train().split(VALIDATION, RunSeeds.from(1).shuffle());
      for (String method : ROBUSTNESS_METHODS) {
        Path kept =
            dir.resolve(examples + "-" + method.replaceAll("[^A-Za-z0-9.=-]+", "_") + ".json");
        if (Files.isRegularFile(kept)) {
          curves.put(
              method,
              Json.MAPPER.readValue(kept.toFile(), new TypeReference<List<Robustness.Point>>() {}));
          continue;
        }
        if (partial) {
          continue;
        }
        ModelSpec spec = ReproductionReport.mlp(data, budget.hidden(), method);
        try (TrainingRun run =
            Trainer.train(
                spec, split.train(), split.validation(), config, progress.apply(method, 1L))) {
          var values = run.model().variableValues();
          Explanation explained =
              Explainer.explanation(
                  spec,
                  values::get,
                  new ImportanceSpec.Conductance(16, Target.PREDICTED),
                  split.validation().head(budget.robustnessExamples()));
          List<Robustness.Point> curve =
              Robustness.curve(
                  spec,
                  values::get,
                  explained.unitMeans(),
                  data.test().head(budget.robustnessExamples()),
                  Robustness.fractions(),
                  budget.repeats(),
                  1);
          OutputDirectories.claim("runs directory", dir);
          AtomicFiles.write(kept, Json.MAPPER.writeValueAsBytes(curve));
          curves.put(method, curve);
        }
      }
      if (curves.isEmpty()) {
        md.append(
            String.format(Locale.ROOT, "%n**%,d training images**: not measured yet.%n", examples));
        continue;
      }
      md.append(String.format(Locale.ROOT, "%n**%,d training images**%n%n", examples))
          .append(ReproductionReport.robustnessTable(curves));
      md.append(
          ReproductionReport.image(
              charts.robustness(
                  curves,
                  String.format(Locale.ROOT, "robustness, %,d training images", examples),
                  images,
                  "small-data-robustness-" + examples),
              report,
              "robustness with " + examples + " images"));
    }
    return md.toString();
  }

  /**
   * {@code section} in place of the report's earlier small-data section, or appended when it has
   * none.
   */
  static void replaceSection(Path report, String section) throws IOException {
    String text = Files.isRegularFile(report) ? Files.readString(report) : ReproductionReport.TITLE;
    int begin = text.indexOf(BEGIN);
    int end = text.indexOf(END);
    String updated =
        begin >= 0 && end > begin
            ? text.substring(0, begin) + section + text.substring(endOfLine(text, end))
            : text + (text.endsWith("\n\n") ? "" : "\n") + section;
    AtomicFiles.write(report, updated);
  }

  /**
   * The report's small-data section as it stands ({@value #BEGIN} to {@value #END}), or empty: what
   * rewriting the rest keeps.
   */
  static String existingSection(Path report) throws IOException {
    if (!Files.isRegularFile(report)) {
      return "";
    }
    String text = Files.readString(report);
    int begin = text.indexOf(BEGIN);
    int end = text.indexOf(END);
    return begin >= 0 && end > begin ? text.substring(begin, endOfLine(text, end)) : "";
  }

  /** Where the line holding {@code at} ends, its newline included. */
  private static int endOfLine(String text, int at) {
    int newline = text.indexOf('\n', at);
    return newline < 0 ? text.length() : newline + 1;
  }
}
