package dev.dropwise.analysis;

import dev.dropwise.data.Dataset;
import dev.dropwise.importance.ImportanceSpec;
import dev.dropwise.model.ModelSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Unit flipping, pixel flipping's counterpart for hidden units: test accuracy while a growing share
 * of every hidden layer's units (channels, after a convolution or pooling) is removed, those a
 * measure ranks highest first (MoRF) or lowest first (LeRF), beside removal at random — {@link
 * Robustness}'s curves, with each measure's ranking the mean of its scores over the examples, as
 * the robustness analysis ranks them.
 */
public final class UnitFlipping {
  private UnitFlipping() {}

  /** Draws of the random removal averaged for the floor. */
  static final int RANDOM_DRAWS = 5;

  /**
   * One ranking's curves.
   *
   * @param measure the measure's text, or {@code random}
   * @param fractions the shares of units removed
   * @param morf accuracy with the highest-ranked units removed first
   * @param lerf with the lowest-ranked first (the random floor: the same curve)
   */
  public record Result(String measure, double[] fractions, double[] morf, double[] lerf) {
    /** AOPC of a curve: its mean drop from the first point. */
    public static double aopc(double[] curve) {
      double total = 0;
      for (double v : curve) {
        total += curve[0] - v;
      }
      return total / curve.length;
    }

    /** AOPC of MoRF minus that of LeRF (higher: the ranking matters more to the model). */
    public double gap() {
      return aopc(morf) - aopc(lerf);
    }
  }

  /** The random floor, then each measure, on {@code data} (the network's input space). */
  public static List<Result> evaluate(
      ModelSpec spec,
      Function<String, float[]> values,
      List<ImportanceSpec> measures,
      Dataset data,
      long seed) {
    double[] fractions = Robustness.fractions();
    List<Result> out = new ArrayList<>();
    int layers = spec.withoutDropout().hiddenCount();
    List<double[]> none = new ArrayList<>();
    for (int l = 0; l < layers; l++) {
      none.add(new double[spec.withoutDropout().outputShapes().get(l).channels()]);
    }
    double[] random =
        Robustness.curve(spec, values, none, data, fractions, RANDOM_DRAWS, seed).stream()
            .mapToDouble(Robustness.Point::randomMean)
            .toArray();
    out.add(new Result(FaithfulnessEvaluation.RANDOM, fractions, random, random));
    for (ImportanceSpec measure : measures) {
      List<double[]> means = Explainer.explanation(spec, values, measure, data).unitMeans();
      List<double[]> reversed = new ArrayList<>();
      for (double[] m : means) {
        double[] r = new double[m.length];
        for (int i = 0; i < m.length; i++) {
          r[i] = -m[i];
        }
        reversed.add(r);
      }
      out.add(
          new Result(
              measure.text(),
              fractions,
              importantFirst(spec, values, means, data, fractions),
              importantFirst(spec, values, reversed, data, fractions)));
    }
    return out;
  }

  private static double[] importantFirst(
      ModelSpec spec,
      Function<String, float[]> values,
      List<double[]> ranking,
      Dataset data,
      double[] fractions) {
    return Robustness.curve(spec, values, ranking, data, fractions, 0, 0).stream()
        .mapToDouble(Robustness.Point::importantFirst)
        .toArray();
  }
}
