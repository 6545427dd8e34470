package dev.dropwise.cli;

import dev.dropwise.analysis.Faithfulness;
import dev.dropwise.analysis.FaithfulnessEvaluation;
import dev.dropwise.analysis.RandomisationCheck;
import dev.dropwise.analysis.UnitFlipping;
import dev.dropwise.util.AtomicFiles;
import dev.dropwise.util.OutputDirectories;
import dev.dropwise.util.TextTable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** What {@code dropwise faithfulness} prints and writes: its tables and its four CSV files. */
final class FaithfulnessOutput {
  private FaithfulnessOutput() {}

  /** The attributions' table, then the unit flipping's (when there is one). */
  static void print(List<FaithfulnessEvaluation.Result> results, List<UnitFlipping.Result> units) {
    System.out.print(table(results));
    if (!units.isEmpty()) {
      System.out.println(
          "\nunit flipping: accuracy while each hidden layer's units are removed, most / least important first:");
      System.out.print(unitTable(units));
    }
  }

  /**
   * {@code summary.csv}, {@code curves.csv}, {@code randomisation.csv} and (with unit flipping)
   * {@code units.csv} in {@code out}, which must be new, empty or dropwise's.
   */
  static void write(
      List<FaithfulnessEvaluation.Result> results, List<UnitFlipping.Result> units, Path out)
      throws IOException {
    OutputDirectories.claim("--out", out);
    AtomicFiles.write(out.resolve("summary.csv"), summaryCsv(results));
    AtomicFiles.write(out.resolve("curves.csv"), curvesCsv(results));
    AtomicFiles.write(out.resolve("randomisation.csv"), randomisationCsv(results));
    if (!units.isEmpty()) {
      AtomicFiles.write(out.resolve("units.csv"), unitsCsv(units));
    }
    System.out.println(
        out.resolve("summary.csv")
            + ", curves.csv, randomisation.csv"
            + (units.isEmpty() ? "" : ", units.csv"));
  }

  private static String table(List<FaithfulnessEvaluation.Result> results) {
    TextTable t =
        new TextTable(
            "attribution", "AOPC MoRF", "AOPC LeRF", "gap", "rho, top layer random", "rho, all");
    for (FaithfulnessEvaluation.Result r : results) {
      List<RandomisationCheck.Step> cascade = r.randomisation();
      t.row(
          r.attribution(),
          fmt(r.morf().aopc()),
          fmt(r.lerf().aopc()),
          fmt(r.gap()),
          cascade.isEmpty() ? "-" : shown(cascade.get(0)),
          cascade.isEmpty() ? "-" : shown(cascade.get(cascade.size() - 1)));
    }
    return t.toString();
  }

  private static String unitTable(List<UnitFlipping.Result> results) {
    TextTable t = new TextTable("measure", "AOPC MoRF", "AOPC LeRF", "gap");
    for (UnitFlipping.Result r : results) {
      t.row(
          r.measure(),
          fmt(UnitFlipping.Result.aopc(r.morf())),
          fmt(UnitFlipping.Result.aopc(r.lerf())),
          fmt(r.gap()));
    }
    return t.toString();
  }

  private static String unitsCsv(List<UnitFlipping.Result> results) {
    StringBuilder sb = new StringBuilder("measure,order,share_removed,accuracy\n");
    for (UnitFlipping.Result r : results) {
      for (int order = 0; order < 2; order++) {
        double[] curve = order == 0 ? r.morf() : r.lerf();
        for (int k = 0; k < curve.length; k++) {
          sb.append(csvText(r.measure()))
              .append(',')
              .append(order == 0 ? "MoRF" : "LeRF")
              .append(',')
              .append(fmt(r.fractions()[k]))
              .append(',')
              .append(fmt(curve[k]))
              .append('\n');
        }
      }
    }
    return sb.toString();
  }

  private static String summaryCsv(List<FaithfulnessEvaluation.Result> results) {
    StringBuilder sb =
        new StringBuilder("attribution,aopc_morf,aopc_lerf,gap,spearman_all_random\n");
    for (FaithfulnessEvaluation.Result r : results) {
      List<RandomisationCheck.Step> c = r.randomisation();
      sb.append(csvText(r.attribution()))
          .append(',')
          .append(fmt(r.morf().aopc()))
          .append(',')
          .append(fmt(r.lerf().aopc()))
          .append(',')
          .append(fmt(r.gap()))
          .append(',')
          .append(c.isEmpty() ? "" : fmt(c.get(c.size() - 1).spearman()))
          .append('\n');
    }
    return sb.toString();
  }

  private static String curvesCsv(List<FaithfulnessEvaluation.Result> results) {
    StringBuilder sb = new StringBuilder("attribution,order,share,probability\n");
    for (FaithfulnessEvaluation.Result r : results) {
      for (Faithfulness.Curve c : List.of(r.morf(), r.lerf())) {
        for (int k = 0; k < c.probability().length; k++) {
          sb.append(csvText(r.attribution()))
              .append(',')
              .append(c.order())
              .append(',')
              .append(fmt(c.share(k)))
              .append(',')
              .append(fmt(c.probability()[k]))
              .append('\n');
        }
      }
    }
    return sb.toString();
  }

  private static String randomisationCsv(List<FaithfulnessEvaluation.Result> results) {
    StringBuilder sb =
        new StringBuilder(
            "attribution,layers_random,top_layers,spearman,spearman_abs,constant_maps\n");
    for (FaithfulnessEvaluation.Result r : results) {
      for (RandomisationCheck.Step s : r.randomisation()) {
        sb.append(csvText(r.attribution()))
            .append(',')
            .append(s.layers().size())
            .append(',')
            .append(String.join(" ", s.layers()))
            .append(',')
            .append(fmt(s.spearman()))
            .append(',')
            .append(fmt(s.spearmanOfMagnitude()))
            .append(',')
            .append(s.constantMaps())
            .append('\n');
      }
    }
    return sb.toString();
  }

  /** An attribution's text as one CSV field: quoted, as it holds commas. */
  private static String csvText(String text) {
    return "\"" + text.replace("\"", "\"\"") + "\"";
  }

  /** A number for a CSV: 4 decimals, {@code nan} where there is none (pandas reads it so). */
  private static String fmt(double v) {
    return Double.isNaN(v) ? "nan" : String.format(Locale.ROOT, "%.4f", v);
  }

  /** A step's ρ for the printed table, with the examples whose constant maps it leaves out. */
  private static String shown(RandomisationCheck.Step step) {
    String rho = Double.isNaN(step.spearman()) ? "n/a" : fmt(step.spearman());
    return step.constantMaps() == 0 ? rho : rho + " (" + step.constantMaps() + " constant)";
  }
}
