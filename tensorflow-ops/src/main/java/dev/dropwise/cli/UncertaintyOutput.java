package dev.dropwise.cli;

import dev.dropwise.analysis.Calibration;
import dev.dropwise.analysis.UncertaintyEvaluation;
import dev.dropwise.analysis.UncertaintyEvaluation.ShiftResult;
import dev.dropwise.util.AtomicFiles;
import dev.dropwise.util.TextTable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What {@code dropwise uncertainty} prints and writes: the table of measures, the measures under
 * shift, and measures.csv, reliability.csv, risk_coverage.csv and shifts.csv.
 */
final class UncertaintyOutput {
  private UncertaintyOutput() {}

  /** The measures under shift that the table shows and shifts.csv holds, in that order. */
  static final List<String> SHIFT_MEASURES = List.of("accuracy", "nll", "brier", "ece");

  /** Every measure any predictor has, in the order they first appear. */
  private static List<String> measureNames(List<UncertaintyEvaluation.Result> results) {
    List<String> names = new ArrayList<>();
    results.forEach(
        r -> r.measures().keySet().stream().filter(m -> !names.contains(m)).forEach(names::add));
    return names;
  }

  static void print(List<UncertaintyEvaluation.Result> results, int examples) {
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

  /** Accuracy and ECE of every predictor at every shift and severity; nothing without shifts. */
  static void printShifts(List<ShiftResult> results) {
    if (results.isEmpty()) {
      return;
    }
    Set<String> predictors = new LinkedHashSet<>();
    results.forEach(r -> predictors.add(r.predictor()));
    List<String> header = new ArrayList<>(List.of("shift", "severity", "level"));
    for (String p : predictors) {
      header.add("accuracy " + p);
      header.add("ece " + p);
    }
    TextTable table = new TextTable(header.toArray(String[]::new));
    for (int i = 0; i < results.size(); i += predictors.size()) {
      ShiftResult first = results.get(i);
      List<Object> row =
          new ArrayList<>(List.of(first.shift().text(), first.severity(), level(first)));
      for (ShiftResult r : results.subList(i, i + predictors.size())) {
        row.add(String.format(Locale.ROOT, "%.4f", r.measures().get("accuracy")));
        row.add(String.format(Locale.ROOT, "%.4f", r.measures().get("ece")));
      }
      table.row(row.toArray());
    }
    System.out.println("under shift (severity 0: the test set as it is):");
    System.out.print(table);
  }

  /** The shift's strength at the result's severity; 0 unshifted. */
  private static double level(ShiftResult r) {
    return r.severity() == 0 ? 0 : r.shift().level(r.severity());
  }

  private static String shiftsCsv(List<ShiftResult> results) {
    StringBuilder csv =
        new StringBuilder("shift,severity,level,predictor," + String.join(",", SHIFT_MEASURES));
    csv.append('\n');
    for (ShiftResult r : results) {
      csv.append(r.shift().text())
          .append(',')
          .append(r.severity())
          .append(',')
          .append(level(r))
          .append(',')
          .append(r.predictor());
      for (String m : SHIFT_MEASURES) {
        csv.append(',').append(r.measures().get(m));
      }
      csv.append('\n');
    }
    return csv.toString();
  }

  static void write(
      Path out,
      List<UncertaintyEvaluation.Result> results,
      List<UncertaintyEvaluation.ShiftResult> underShift)
      throws IOException {
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
    if (!underShift.isEmpty()) {
      AtomicFiles.write(out.resolve("shifts.csv"), shiftsCsv(underShift));
    }
  }
}
