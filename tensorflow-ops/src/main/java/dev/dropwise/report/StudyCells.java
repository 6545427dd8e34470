package dev.dropwise.report;

import dev.dropwise.experiments.Comparison;
import dev.dropwise.experiments.PairedDifference;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The cells the studies' tables share: a mean ± the half-width of its 95% CI over the seeds, and a
 * paired difference with its Holm-corrected p-value, bold when significant.
 */
final class StudyCells {
  private StudyCells() {}

  /** {@code value} to four places, or a dash where it is NaN (one seed: no interval). */
  static String fourPlaces(double value) {
    return Double.isNaN(value) ? "—" : String.format(Locale.ROOT, "%.4f", value);
  }

  /** The mean of {@code values} ± the half-width of its 95% CI; a dash when there are none. */
  static String meanAndHalfWidth(double[] values) {
    return values.length == 0
        ? "—"
        : String.format(
            Locale.ROOT,
            "%.4f ± %s",
            Comparison.mean(values),
            fourPlaces(PairedDifference.halfWidth(values)));
  }

  /** {@code d} ± its half-width (Holm p {@code holm}, or "no test"), bold when significant. */
  static String difference(PairedDifference d, double holm) {
    String cell =
        String.format(
            Locale.ROOT,
            "%+.4f ± %s (%s)",
            d.meanPoints(),
            fourPlaces(d.halfWidthPoints()),
            Double.isNaN(holm) ? "no test" : String.format(Locale.ROOT, "%.3f", holm));
    return holm < PairedDifference.LEVEL ? "**" + cell + "**" : cell;
  }

  /**
   * A table row: {@code label}, then the difference of each of {@code keys} (a dash where there is
   * none) with its Holm p.
   */
  static String differenceRow(
      String label,
      List<String> keys,
      Map<String, PairedDifference> differences,
      Map<String, Double> holm) {
    StringBuilder md = new StringBuilder("| ").append(label).append(" |");
    for (String k : keys) {
      PairedDifference d = differences.get(k);
      md.append(' ').append(d == null ? "—" : difference(d, holm.get(k))).append(" |");
    }
    return md.append('\n').toString();
  }

  /**
   * The start of an arm's verdict, saying when it comes from {@code finished} of the {@code
   * planned} runs only.
   */
  static String verdict(long finished, long planned) {
    return "\n**Verdict**"
        + (finished < planned
            ? String.format(
                Locale.ROOT,
                " (from %d of the %d runs planned: the arm is not finished, and this may change)",
                finished,
                planned)
            : "")
        + ": ";
  }
}
