package dev.dropwise.cli;

import dev.dropwise.bench.StepBenchmark;
import dev.dropwise.util.TextTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The benchmark's table: per batch size, each method's median milliseconds per step, its ratios to
 * the first two methods and to the matrix products alone, its GFLOP/s and (when trained) its test
 * accuracy; then what the rows' names stand for.
 */
final class StepTable {
  private final List<String> names;
  private final boolean shorten;

  /** A table of {@code names}' rows, their labels shortened where {@code shorten}. */
  StepTable(List<String> names, boolean shorten) {
    this.names = List.copyOf(names);
    this.shorten = shorten;
  }

  /**
   * Prints {@code rows} ({@link StepBenchmark#run}'s), with each method's accuracy after {@code
   * epochs} (0: not trained), then {@code legend} (null: the shortened labels' full texts).
   */
  void print(
      List<StepBenchmark.Row> rows, Map<String, Double> accuracy, int epochs, List<String> legend) {
    String second = names.size() > 1 ? names.get(1) : names.get(0);
    List<String> headers =
        new ArrayList<>(
            List.of(
                "batch",
                "method",
                "median ms/step",
                "vs " + names.get(0),
                "vs " + second,
                "vs products",
                "GFLOP/s"));
    if (epochs > 0) {
      headers.add("test acc, " + epochs + (epochs == 1 ? " epoch" : " epochs"));
    }
    TextTable table = new TextTable(headers.toArray(String[]::new));
    int perBatch = names.size() + 1; // the methods, then the matrix products alone
    for (int i = 0; i < rows.size(); i++) {
      StepBenchmark.Row row = rows.get(i);
      int first = i - i % perBatch;
      StepBenchmark.Row baseline = rows.get(first);
      StepBenchmark.Row reference = rows.get(Math.min(first + 1, first + names.size() - 1));
      StepBenchmark.Row products = rows.get(first + names.size());
      List<Object> cells =
          new ArrayList<>(
              List.of(
                  row.batchSize(),
                  label(row.method()),
                  String.format(Locale.ROOT, "%.3f", row.medianMs()),
                  String.format(Locale.ROOT, "%.3fx", row.medianMs() / baseline.medianMs()),
                  String.format(Locale.ROOT, "%.3fx", row.medianMs() / reference.medianMs()),
                  String.format(Locale.ROOT, "%.2fx", row.medianMs() / products.medianMs()),
                  String.format(Locale.ROOT, "%.1f", row.gflop() / (row.medianMs() / 1000))));
      if (epochs > 0) {
        boolean method = i % perBatch < names.size();
        cells.add(
            method
                ? String.format(Locale.ROOT, "%.4f", accuracy.get(names.get(i % perBatch)))
                : "");
      }
      table.row(cells.toArray());
    }
    System.out.print(table);
    System.out.printf(
        Locale.ROOT,
        "  %s: the step's matrix products alone (forward, weight and input gradients; %.3f GFLOP "
            + "at batch %d), the floor a step cannot go below%n",
        StepBenchmark.PRODUCTS,
        rows.get(names.size()).gflop(),
        rows.get(names.size()).batchSize());
    if (legend != null) {
      legend.forEach(System.out::println);
    } else {
      names.stream()
          .filter(m -> !label(m).equals(m))
          .forEach(m -> System.out.println("  " + label(m) + " = " + m));
    }
  }

  /**
   * The method name and its first parameter, so the table stays narrow (the full specs are listed
   * below it), or the whole text where two methods would shorten alike.
   */
  String label(String spec) {
    String shortened = shorten(spec);
    return names.stream().filter(m -> shorten(m).equals(shortened)).count() > 1 ? spec : shortened;
  }

  private String shorten(String spec) {
    int comma = spec.indexOf(',');
    return !shorten || comma < 0 || spec.startsWith("sector")
        ? spec
        : spec.substring(0, comma) + ",…";
  }
}
