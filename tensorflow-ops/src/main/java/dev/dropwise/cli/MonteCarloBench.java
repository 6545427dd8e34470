package dev.dropwise.cli;

import dev.dropwise.bench.MonteCarloBenchmark;
import dev.dropwise.data.ClassificationData;
import dev.dropwise.export.ServingModel;
import dev.dropwise.model.ModelSpec;
import dev.dropwise.model.ServingGraph;
import dev.dropwise.util.TextTable;
import java.util.List;
import java.util.Locale;

/** {@code bench --mc T}: the table of {@link MonteCarloBenchmark}, medians and their ratio. */
final class MonteCarloBench {
  private MonteCarloBench() {}

  static int run(BenchCommand bench) throws Exception {
    MonteCarloChecks.checkSamples(bench.monteCarlo);
    if (bench.monteCarloExamples < 1 || bench.monteCarloRepeats < 1) {
      throw new IllegalArgumentException(
          "--mc-examples "
              + bench.monteCarloExamples
              + " --mc-repeats "
              + bench.monteCarloRepeats
              + ": both must be >= 1");
    }
    ClassificationData loaded = bench.data.load();
    ModelSpec spec = bench.model.build(loaded, bench.monteCarloMethod);
    if (!ServingGraph.supportsMonteCarlo(spec)) {
      throw new IllegalArgumentException(
          "--mc-method " + bench.monteCarloMethod.text() + ": " + ServingModel.MONTE_CARLO_NEEDS);
    }
    int examples = Math.min(bench.monteCarloExamples, loaded.test().size());
    System.out.printf(
        Locale.ROOT,
        "Monte Carlo dropout: %d passes over %d test examples, %s, %s; median of %d runs each%n",
        bench.monteCarlo,
        examples,
        spec.widths(),
        bench.monteCarloMethod.text(),
        bench.monteCarloRepeats);
    List<MonteCarloBenchmark.Row> rows =
        MonteCarloBenchmark.run(
            spec, loaded.test().head(examples), bench.monteCarlo, bench.monteCarloRepeats);
    TextTable table = new TextTable("path", "calls", "median ms", "passes / s", "speed-up");
    for (MonteCarloBenchmark.Row r : rows) {
      double base = rows.get(r.against()).medianMs();
      table.row(
          r.path(),
          r.callsPerRun(),
          String.format(Locale.ROOT, "%.1f", r.medianMs()),
          String.format(Locale.ROOT, "%.0f", bench.monteCarlo / (r.medianMs() / 1000)),
          String.format(Locale.ROOT, "%.2fx", base / r.medianMs()));
    }
    System.out.print(table);
    return 0;
  }
}
