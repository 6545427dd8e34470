package dev.dropwise.analysis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * How importance spreads over a layer's units (Y-Drop Fig. 2): each unit's mean |score| over the
 * examples, sorted from most to least important, and the cumulative share of the layer's total.
 *
 * @param sorted per hidden layer, mean |score| per unit, descending
 */
public record ImportanceProfile(String measure, String trainedWith, List<double[]> sorted) {

  /** From per-layer scores, each {@code examples × units} row-major. */
  public static ImportanceProfile of(
      String measure, String trainedWith, List<float[]> scores, int examples) {
    List<double[]> sorted = new ArrayList<>();
    for (double[] mean : unitMeans(scores, examples)) {
      int units = mean.length;
      Arrays.sort(mean);
      for (int i = 0; i < units / 2; i++) {
        double t = mean[i];
        mean[i] = mean[units - 1 - i];
        mean[units - 1 - i] = t;
      }
      sorted.add(mean);
    }
    return new ImportanceProfile(measure, trainedWith, List.copyOf(sorted));
  }

  /** Per hidden layer, each unit's mean |score| over the examples, in unit order. */
  public static List<double[]> unitMeans(List<float[]> scores, int examples) {
    List<double[]> means = new ArrayList<>();
    for (float[] layer : scores) {
      int units = layer.length / examples;
      double[] mean = new double[units];
      for (int e = 0; e < examples; e++) {
        for (int u = 0; u < units; u++) {
          mean[u] += Math.abs(layer[e * units + u]) / examples;
        }
      }
      means.add(mean);
    }
    return means;
  }

  /** Per hidden layer, the share of the total held by the top units, cumulatively. */
  public List<double[]> cumulative() {
    List<double[]> out = new ArrayList<>();
    for (int l = 0; l < sorted.size(); l++) {
      double[] units = sorted.get(l);
      double total = total(l);
      double[] c = new double[units.length];
      double running = 0;
      for (int i = 0; i < units.length; i++) {
        running += units[i];
        c[i] = total == 0 ? 0 : running / total;
      }
      out.add(c);
    }
    return out;
  }

  /**
   * Hidden layer {@code layer}'s total: the sum of its units' mean |score|. Shares hide it, and it
   * is what Y-Drop's Fig. 2b compares across models ("37% higher overall conductance").
   */
  public double total(int layer) {
    return Arrays.stream(sorted.get(layer)).sum();
  }

  /**
   * Share of hidden layer {@code layer}'s total importance held by its top {@code fraction} of
   * units.
   */
  public double shareOfTop(int layer, double fraction) {
    double[] c = cumulative().get(layer);
    int count = Math.max(1, Math.min(c.length, (int) Math.round(fraction * c.length)));
    return c[count - 1];
  }

  @Override
  public String toString() {
    StringBuilder sb =
        new StringBuilder("importance profile (" + measure + ", trained with " + trainedWith + ")");
    for (int l = 0; l < sorted.size(); l++) {
      sb.append(
          String.format(
              Locale.ROOT,
              "%nhidden layer %d: total %.4g; top 20/40/60/80%% of units hold %.0f%%/%.0f%%/%.0f%%/%.0f%%",
              l + 1,
              total(l),
              100 * shareOfTop(l, 0.2),
              100 * shareOfTop(l, 0.4),
              100 * shareOfTop(l, 0.6),
              100 * shareOfTop(l, 0.8)));
    }
    return sb.toString();
  }
}
