package dev.dropwise.experiments;

import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Holm's step-down correction for testing m hypotheses at once: with the p-values sorted, {@code
 * p(1) <= ... <= p(m)}, the adjusted value of the i-th is {@code max over j <= i of min(1, (m - j +
 * 1) p(j))}. A hypothesis is rejected at level α when its adjusted p is below α, which keeps the
 * chance of any false rejection among the m at most α (Holm 1979), less conservative than
 * Bonferroni's {@code m p}.
 */
public final class Holm {
  private Holm() {}

  /**
   * The adjusted p-values, in the order given; a NaN (no test made) stays NaN and is not counted in
   * m.
   */
  public static double[] adjust(double[] p) {
    Integer[] tested =
        IntStream.range(0, p.length)
            .filter(i -> !Double.isNaN(p[i]))
            .boxed()
            .toArray(Integer[]::new);
    Arrays.sort(tested, Comparator.comparingDouble(i -> p[i]));
    double[] adjusted = new double[p.length];
    Arrays.fill(adjusted, Double.NaN);
    int m = tested.length;
    double running = 0;
    for (int rank = 0; rank < m; rank++) {
      running = Math.max(running, Math.min(1, (m - rank) * p[tested[rank]]));
      adjusted[tested[rank]] = running;
    }
    return adjusted;
  }

  /**
   * The adjusted p-values of {@code differences}, one family, by the same keys in the same order.
   */
  public static <K> Map<K, Double> adjust(Map<K, PairedDifference> differences) {
    double[] adjusted =
        adjust(differences.values().stream().mapToDouble(PairedDifference::p).toArray());
    Map<K, Double> byKey = new LinkedHashMap<>();
    int i = 0;
    for (K key : differences.keySet()) {
      byKey.put(key, adjusted[i++]);
    }
    return byKey;
  }

  /** How many of {@code differences} were tested (a p that is not NaN): Holm's m. */
  public static long tests(Map<?, PairedDifference> differences) {
    return differences.values().stream().filter(d -> !Double.isNaN(d.p())).count();
  }
}
