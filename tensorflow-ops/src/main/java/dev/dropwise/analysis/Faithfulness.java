package dev.dropwise.analysis;

import dev.dropwise.data.Dataset;
import dev.dropwise.model.ModelSpec;
import dev.dropwise.util.Tensors;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * Whether an explanation's ranking of the inputs is the model's (pixel flipping, Samek et al. 2017;
 * Quantus's faithfulness metrics): each example's features are replaced by a baseline in the order
 * the relevance ranks them — most relevant first (MoRF) or least relevant first (LeRF), a share
 * {@code k / steps} at step k — and the probability of the explained class is read after each step.
 * A faithful explanation makes the MoRF curve fall fast and the LeRF curve slowly. Ties in the
 * relevance keep the features' order, so a run is exact.
 */
public final class Faithfulness {
  private static final int CHUNK = 16;

  private Faithfulness() {}

  /**
   * One perturbation curve, averaged over the examples.
   *
   * @param attribution the ranking's name, e.g. {@code lrp} or {@code random}
   * @param mostRelevantFirst MoRF (true) or LeRF
   * @param probability the mean probability of the explained class after step k = 0..steps
   */
  public record Curve(String attribution, boolean mostRelevantFirst, double[] probability) {
    /** The share of each example's features replaced at step {@code k}. */
    public double share(int k) {
      return (double) k / (probability.length - 1);
    }

    /**
     * The area over the perturbation curve (AOPC): the mean over steps k = 0..steps of {@code f(x)
     * − f(x^(k))}, higher where the ranked features matter more to the model.
     */
    public double aopc() {
      double total = 0;
      for (double p : probability) {
        total += probability[0] - p;
      }
      return total / probability.length;
    }

    /** MoRF or LeRF, for tables. */
    public String order() {
      return mostRelevantFirst ? "MoRF" : "LeRF";
    }
  }

  /**
   * The curve of the model {@code spec} with weights {@code values} on {@code data} (the network's
   * input space), each example's features ranked by {@code relevance} ({@code [examples *
   * features]}) and replaced by {@code baseline} (one value, or one per feature), for the class
   * {@code classes} gives each example.
   */
  public static Curve curve(
      ModelSpec spec,
      Function<String, float[]> values,
      String attribution,
      float[] relevance,
      Dataset data,
      float[] baseline,
      int[] classes,
      int steps,
      boolean mostRelevantFirst) {
    int f = data.featureCount();
    if (steps < 1 || steps > f) {
      throw new IllegalArgumentException(
          "steps=" + steps + " is not allowed: from 1 to the " + f + " features");
    }
    if (relevance.length != data.features().length || classes.length != data.size()) {
      throw new IllegalArgumentException(
          relevance.length + " relevance values for " + data.size() + " examples of " + f);
    }
    double[] sum = new double[steps + 1];
    try (InferenceGraph model = new InferenceGraph(spec)) {
      Operand<TFloat32> probabilities =
          model.tf().nn.softmax(model.network().logits(model.tf(), model.input()));
      model.start(values);
      for (int from = 0; from < data.size(); from += CHUNK) {
        int n = Math.min(CHUNK, data.size() - from);
        // Every step of every example in the chunk, as one batch: example-major.
        float[] x = new float[n * (steps + 1) * f];
        for (int e = 0; e < n; e++) {
          int example = from + e;
          float[] row = Arrays.copyOfRange(data.features(), example * f, (example + 1) * f);
          int[] order = ranking(relevance, example * f, f, mostRelevantFirst);
          for (int k = 0; k <= steps; k++) {
            int replaced = (int) Math.round((double) k * f / steps);
            for (int j = 0; j < replaced; j++) {
              int feature = order[j];
              row[feature] = baseline.length == 1 ? baseline[0] : baseline[feature];
            }
            System.arraycopy(row, 0, x, (e * (steps + 1) + k) * f, f);
          }
        }
        int rows = n * (steps + 1);
        Dataset batch = new Dataset(x, new int[rows], f, data.classCount());
        int first = from;
        model.forEachChunk(
            batch,
            rows,
            List.of(probabilities),
            (start, size, r) -> {
              float[] p = Tensors.toArray((TFloat32) r.get(0));
              int c = data.classCount();
              for (int e = 0; e < n; e++) {
                for (int k = 0; k <= steps; k++) {
                  sum[k] += p[(e * (steps + 1) + k) * c + classes[first + e]];
                }
              }
            });
      }
    }
    double[] mean = new double[steps + 1];
    for (int k = 0; k <= steps; k++) {
      mean[k] = sum[k] / data.size();
    }
    return new Curve(attribution, mostRelevantFirst, mean);
  }

  /**
   * Uniform random relevance, the same for a seed: the floor every attribution's ranking must beat.
   */
  public static float[] randomRelevance(int examples, int features, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] out = new float[examples * features];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) random.nextDouble();
    }
    return out;
  }

  /** The features of one example by relevance, highest first or lowest first; ties by index. */
  static int[] ranking(float[] relevance, int offset, int features, boolean highestFirst) {
    Comparator<Integer> byRelevance = Comparator.comparingDouble(i -> relevance[offset + i]);
    return IntStream.range(0, features)
        .boxed()
        .sorted(highestFirst ? byRelevance.reversed() : byRelevance)
        .mapToInt(Integer::intValue)
        .toArray();
  }
}
