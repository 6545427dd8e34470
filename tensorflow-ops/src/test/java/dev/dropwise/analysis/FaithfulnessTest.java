package dev.dropwise.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dropwise.data.Dataset;
import dev.dropwise.dropout.NoDropout;
import dev.dropwise.importance.InputAttributions;
import dev.dropwise.importance.InputSpace;
import dev.dropwise.model.ModelSpec;
import dev.dropwise.network.Activation;
import dev.dropwise.network.Initializer;
import dev.dropwise.train.ModelSession;
import dev.dropwise.train.OptimizerSpec;
import dev.dropwise.train.RunSeeds;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Pixel flipping, AOPC, Spearman's ρ and the randomisation cascade, each against a computation
 * written here: a brute-force loop over a tiny MLP in float64, SciPy's {@code spearmanr}.
 */
class FaithfulnessTest {
  static final int IN = 6;
  static final int HIDDEN = 5;
  static final int CLASSES = 3;
  static final int EXAMPLES = 4;

  final Random random = new Random(3);
  final ModelSpec spec =
      ModelSpec.mlp(
          IN, List.of(HIDDEN), Activation.RELU, Initializer.HE_UNIFORM, new NoDropout(), CLASSES);
  final Map<String, float[]> weights = new HashMap<>();
  final Dataset data;

  FaithfulnessTest() {
    weights.put("dense_0_kernel", values(IN * HIDDEN, 0.8));
    weights.put("dense_0_bias", values(HIDDEN, 0.1));
    weights.put("dense_1_kernel", values(HIDDEN * CLASSES, 0.8));
    weights.put("dense_1_bias", values(CLASSES, 0.1));
    data = new Dataset(values(EXAMPLES * IN, 1), new int[] {0, 1, 2, 1}, IN, CLASSES);
  }

  float[] values(int n, double scale) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (random.nextGaussian() * scale);
    }
    return v;
  }

  /** Softmax probabilities of the MLP with {@code w} on one input, in float64. */
  static double[] probabilities(Map<String, float[]> w, double[] x) {
    double[] h = new double[HIDDEN];
    for (int j = 0; j < HIDDEN; j++) {
      double z = w.get("dense_0_bias")[j];
      for (int i = 0; i < IN; i++) {
        z += x[i] * w.get("dense_0_kernel")[i * HIDDEN + j];
      }
      h[j] = Math.max(0, z);
    }
    double[] logits = new double[CLASSES];
    double max = Double.NEGATIVE_INFINITY;
    for (int c = 0; c < CLASSES; c++) {
      double z = w.get("dense_1_bias")[c];
      for (int j = 0; j < HIDDEN; j++) {
        z += h[j] * w.get("dense_1_kernel")[j * CLASSES + c];
      }
      logits[c] = z;
      max = Math.max(max, z);
    }
    double total = 0;
    for (int c = 0; c < CLASSES; c++) {
      total += Math.exp(logits[c] - max);
    }
    double[] p = new double[CLASSES];
    for (int c = 0; c < CLASSES; c++) {
      p[c] = Math.exp(logits[c] - max) / total;
    }
    return p;
  }

  /**
   * Both orders' curves equal a loop that replaces each example's features one step at a time in
   * the relevance's order (ties by index) and averages the explained class's probability; AOPC is
   * the mean drop from the first point.
   */
  @Test
  void flippingCurvesMatchABruteForceLoop() {
    float[] relevance = values(EXAMPLES * IN, 1);
    relevance[2] = relevance[3]; // a tie, broken by index
    int[] classes = {0, 2, 1, 2};
    float[] baseline = {0.5f};
    int steps = 3; // 2 features a step
    for (boolean morf : new boolean[] {true, false}) {
      Faithfulness.Curve curve =
          Faithfulness.curve(
              spec, weights::get, "r", relevance, data, baseline, classes, steps, morf);
      double[] want = new double[steps + 1];
      for (int e = 0; e < EXAMPLES; e++) {
        Integer[] order = new Integer[IN];
        for (int i = 0; i < IN; i++) {
          order[i] = i;
        }
        int base = e * IN;
        Arrays.sort(
            order,
            (a, b) -> {
              int c = Float.compare(relevance[base + a], relevance[base + b]);
              return c != 0 ? (morf ? -c : c) : Integer.compare(a, b);
            });
        double[] x = new double[IN];
        for (int i = 0; i < IN; i++) {
          x[i] = data.features()[base + i];
        }
        for (int k = 0; k <= steps; k++) {
          for (int j = 0; j < 2 * k; j++) {
            x[order[j]] = 0.5;
          }
          want[k] += probabilities(weights, x)[classes[e]] / EXAMPLES;
        }
      }
      for (int k = 0; k <= steps; k++) {
        assertEquals(want[k], curve.probability()[k], 1e-6, curve.order() + " step " + k);
      }
      double aopc = 0;
      for (int k = 0; k <= steps; k++) {
        aopc += (want[0] - want[k]) / (steps + 1);
      }
      assertEquals(aopc, curve.aopc(), 1e-6);
      assertEquals(1.0, curve.share(steps));
    }
  }

  /** Spearman's ρ, ties included, equals SciPy's. */
  @Test
  void spearmanMatchesScipy() throws Exception {
    float[] a = {3, 1, 4, 1, 5, 9, 2, 6, 5, 3};
    float[] b = {2, 7, 1, 8, 2, 8, 1, 8, 2, 8};
    Process p =
        new ProcessBuilder(
                "/usr/bin/python3",
                "-c",
                "from scipy.stats import spearmanr\n"
                    + "print(repr(spearmanr("
                    + Arrays.toString(a)
                    + ", "
                    + Arrays.toString(b)
                    + ").correlation))")
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertEquals(0, p.waitFor(), out);
    assertEquals(Double.parseDouble(out), RankCorrelation.spearman(a, b), 1e-12);
    assertEquals(1.0, RankCorrelation.spearman(a, a), 1e-12);
    assertTrue(
        Double.isNaN(RankCorrelation.spearman(a, new float[a.length])), "a constant ranks nothing");
  }

  /**
   * The cascade randomises the output layer, then both: each step's ρ equals the one computed here
   * from gradient × input of the trained and of the randomised MLP (float64 chain rule) with the
   * fresh weights of the same seed.
   */
  @Test
  void theRandomisationCascadeComparesWithTheFreshWeightsOfItsSeed() {
    int[] classes = {0, 1, 2, 0};
    List<RandomisationCheck.Step> cascade =
        RandomisationCheck.cascade(
            spec,
            weights::get,
            InputAttributions.parse("gradient-x-input"),
            InputSpace.unit(),
            data,
            classes,
            7);
    Map<String, float[]> fresh;
    try (ModelSession s =
        new ModelSession(spec, new OptimizerSpec.Sgd(0.01f), RandomisationCheck.freshSeeds(7))) {
      fresh = s.variableValues();
    }
    assertEquals(2, cascade.size());
    assertEquals(List.of("dense_1"), cascade.get(0).layers());
    assertEquals(List.of("dense_1", "dense_0"), cascade.get(1).layers());
    Map<String, float[]> randomised = new HashMap<>(weights);
    for (int step = 0; step < 2; step++) {
      String layer = step == 0 ? "dense_1" : "dense_0";
      randomised.put(layer + "_kernel", fresh.get(layer + "_kernel"));
      randomised.put(layer + "_bias", fresh.get(layer + "_bias"));
      double total = 0;
      double ofMagnitude = 0;
      int defined = 0;
      int definedOfMagnitude = 0;
      int constant = 0;
      for (int e = 0; e < EXAMPLES; e++) {
        float[] x = Arrays.copyOfRange(data.features(), e * IN, (e + 1) * IN);
        float[] before = gradientTimesInput(weights, x, classes[e]);
        float[] after = gradientTimesInput(randomised, x, classes[e]);
        double rho = RankCorrelation.spearman(before, after);
        double rhoOfMagnitude =
            RankCorrelation.spearman(RankCorrelation.abs(before), RankCorrelation.abs(after));
        // A constant map (every ReLU off under fresh weights) ranks nothing: left out, counted.
        if (Double.isNaN(rho)) {
          constant++;
        } else {
          total += rho;
          defined++;
        }
        if (!Double.isNaN(rhoOfMagnitude)) {
          ofMagnitude += rhoOfMagnitude;
          definedOfMagnitude++;
        }
      }
      String where = String.format(Locale.ROOT, "step %d", step);
      RandomisationCheck.Step got = cascade.get(step);
      assertEquals(constant, got.constantMaps(), where);
      assertEquals(defined == 0 ? Double.NaN : total / defined, got.spearman(), 1e-6, where);
      assertEquals(
          definedOfMagnitude == 0 ? Double.NaN : ofMagnitude / definedOfMagnitude,
          got.spearmanOfMagnitude(),
          1e-6,
          where);
    }
  }

  /**
   * The fresh weights are never those a training run of the same seed started from: with them,
   * "randomising" a layer would leave it where training began.
   */
  @Test
  void freshWeightsAreNotTheTrainingsStartingWeightsOfTheSameSeed() {
    for (long seed : new long[] {1, 2, 7}) {
      Map<String, float[]> start;
      Map<String, float[]> fresh;
      try (ModelSession s =
              new ModelSession(spec, new OptimizerSpec.Sgd(0.01f), RunSeeds.from(seed));
          ModelSession f =
              new ModelSession(
                  spec, new OptimizerSpec.Sgd(0.01f), RandomisationCheck.freshSeeds(seed))) {
        start = s.variableValues();
        fresh = f.variableValues();
      }
      for (String kernel : List.of("dense_0_kernel", "dense_1_kernel")) {
        float[] a = start.get(kernel);
        float[] b = fresh.get(kernel);
        int same = 0;
        for (int i = 0; i < a.length; i++) {
          same += a[i] == b[i] ? 1 : 0;
        }
        assertEquals(0, same, kernel + " of seed " + seed + " shares values with training's start");
      }
    }
  }

  /**
   * Unit flipping by |activation|: at each share, the hidden units with the highest (MoRF) or
   * lowest (LeRF) mean |activation| over the examples removed, accuracy computed here in float64.
   */
  @Test
  void unitFlippingRemovesTheUnitsAMeasureRanksFirst() {
    List<UnitFlipping.Result> results =
        UnitFlipping.evaluate(
            spec,
            weights::get,
            List.of(dev.dropwise.importance.ImportanceSpec.parse("activation")),
            data,
            1);
    assertEquals(List.of("random", "activation"), results.stream().map(r -> r.measure()).toList());
    double[] mean = new double[HIDDEN];
    for (int e = 0; e < EXAMPLES; e++) {
      for (int j = 0; j < HIDDEN; j++) {
        mean[j] += Math.abs(hidden(e)[j]) / EXAMPLES;
      }
    }
    Integer[] order = new Integer[HIDDEN];
    for (int j = 0; j < HIDDEN; j++) {
      order[j] = j;
    }
    Integer[] lowest = order.clone();
    Arrays.sort(order, (a, b) -> Double.compare(mean[b], mean[a])); // ties keep index order
    Arrays.sort(lowest, (a, b) -> Double.compare(mean[a], mean[b]));
    UnitFlipping.Result r = results.get(1);
    for (int f = 0; f < r.fractions().length; f++) {
      int removed = (int) Math.round(r.fractions()[f] * HIDDEN);
      for (boolean morf : new boolean[] {true, false}) {
        boolean[] off = new boolean[HIDDEN];
        for (int k = 0; k < removed; k++) {
          off[morf ? order[k] : lowest[k]] = true;
        }
        int correct = 0;
        for (int e = 0; e < EXAMPLES; e++) {
          double[] h = hidden(e);
          double[] logits = new double[CLASSES];
          int best = 0;
          for (int c = 0; c < CLASSES; c++) {
            logits[c] = weights.get("dense_1_bias")[c];
            for (int j = 0; j < HIDDEN; j++) {
              logits[c] += off[j] ? 0 : h[j] * weights.get("dense_1_kernel")[j * CLASSES + c];
            }
            best = logits[c] > logits[best] ? c : best;
          }
          correct += best == data.labels()[e] ? 1 : 0;
        }
        double[] curve = morf ? r.morf() : r.lerf();
        assertEquals(
            (double) correct / EXAMPLES, curve[f], 1e-9, (morf ? "MoRF" : "LeRF") + " at " + f);
      }
    }
  }

  /** The hidden layer's ReLU activations for example {@code e}. */
  double[] hidden(int e) {
    double[] h = new double[HIDDEN];
    for (int j = 0; j < HIDDEN; j++) {
      double z = weights.get("dense_0_bias")[j];
      for (int i = 0; i < IN; i++) {
        z += data.features()[e * IN + i] * weights.get("dense_0_kernel")[i * HIDDEN + j];
      }
      h[j] = Math.max(0, z);
    }
    return h;
  }

  /** ∂y_c/∂x ⊙ x of the MLP with {@code w}, by the chain rule in float64. */
  static float[] gradientTimesInput(Map<String, float[]> w, float[] x, int c) {
    double[] z = new double[HIDDEN];
    for (int j = 0; j < HIDDEN; j++) {
      z[j] = w.get("dense_0_bias")[j];
      for (int i = 0; i < IN; i++) {
        z[j] += x[i] * w.get("dense_0_kernel")[i * HIDDEN + j];
      }
    }
    float[] out = new float[IN];
    for (int i = 0; i < IN; i++) {
      double g = 0;
      for (int j = 0; j < HIDDEN; j++) {
        if (z[j] > 0) {
          g += w.get("dense_0_kernel")[i * HIDDEN + j] * w.get("dense_1_kernel")[j * CLASSES + c];
        }
      }
      out[i] = (float) (g * x[i]);
    }
    return out;
  }
}
