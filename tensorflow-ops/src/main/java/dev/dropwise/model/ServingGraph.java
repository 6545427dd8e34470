package dev.dropwise.model;

import dev.dropwise.data.Preprocessing;
import dev.dropwise.dropout.DropoutSpec;
import dev.dropwise.dropout.FrozenDropout;
import dev.dropwise.dropout.NoDropout;
import dev.dropwise.importance.ScoreSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * A {@link ModelSpec} built for serving: the dropout-free forward pass {@code x -> logits,
 * probabilities} (raw inputs scaled as the training data was) over declared weights ({@link
 * WeightStore#declared}, set from a trained model), no dropout op and no training switch — the
 * graph a SavedModel holds. Where every dropout method can draw its masks from a seed alone, a
 * Monte Carlo variant samples the network with dropout on.
 */
public final class ServingGraph {
  /**
   * Name of the input placeholder {@code x [N, features]}, in the serving and the training graph.
   */
  public static final String INPUT = "x";

  /** Name of the logits, without dropout. */
  public static final String LOGITS = "logits";

  /** Name of the softmax of the logits. */
  public static final String PROBABILITIES = "probabilities";

  /** Name of the Monte Carlo variant's mask seed (a scalar, default 0). */
  public static final String MC_SEED = "mc_seed";

  /** Name of the Monte Carlo variant's probabilities, dropout on. */
  public static final String MC_PROBABILITIES = "mc_probabilities";

  /**
   * The passes' probabilities of the batched Monte Carlo signature, {@code [passes, N, classes]}.
   */
  public static final String MC_PASS_PROBABILITIES = "mc_pass_probabilities";

  /**
   * The passes' probabilities of the batched Monte Carlo signature with one mask per pass for every
   * example ({@link SharedMask}), {@code [passes, N, classes]}.
   */
  public static final String MC_SHARED_PASS_PROBABILITIES = "mc_shared_pass_probabilities";

  /**
   * The passes' probabilities of the batched Monte Carlo signature that samples the
   * importance-guided layers {@code live} ({@link dev.dropwise.dropout.LiveDropout}), {@code
   * [passes, N, classes]}.
   */
  public static final String MC_LIVE_PASS_PROBABILITIES = "mc_live_pass_probabilities";

  /**
   * Monte Carlo passes one run of the batched signature draws: seeds {@code seed} to {@code seed +
   * MC_PASSES − 1}, each pass the graph's own copy of the network after its first dropout layer
   * (the part before it computed once for all), sharing the weights.
   */
  public static final int MC_PASSES = 10;

  /** The epoch live passes run at: past any method's annealing (Y-Drop's first K epochs). */
  private static final long PAST_ANNEALING = Integer.MAX_VALUE;

  /** The name scope of the ops that scale raw inputs, present only when the graph scales them. */
  public static final String PREPROCESSING = "preprocessing";

  private final WeightStore weights;
  private final Placeholder<TFloat32> input;
  private final Operand<TFloat32> logits;
  private final Operand<TFloat32> probabilities;
  private Operand<TInt64> mcSeed;
  private Operand<TFloat32> mcProbabilities;
  private Operand<TFloat32> mcPassProbabilities;
  private Operand<TFloat32> mcSharedPassProbabilities;
  private Operand<TFloat32> mcLivePassProbabilities;

  /** The serving graph of {@code spec} over inputs as the network sees them. */
  public ServingGraph(Ops tf, ModelSpec spec) {
    this(tf, spec, Preprocessing.NONE);
  }

  /**
   * The serving graph of {@code spec} over raw inputs: {@code preprocessing} (the training split's
   * statistics, as constants) scales them before the network.
   */
  public ServingGraph(Ops tf, ModelSpec spec, Preprocessing preprocessing) {
    this(tf, spec, preprocessing, 1);
  }

  /**
   * As {@link #ServingGraph(Ops, ModelSpec, Preprocessing)}, with {@code serving_default}'s logits
   * divided by {@code temperature} (temperature scaling; 1 leaves the graph as it is). The Monte
   * Carlo passes are not rescaled: the temperature was fitted to the deterministic output.
   */
  public ServingGraph(Ops tf, ModelSpec spec, Preprocessing preprocessing, double temperature) {
    this(tf, spec, preprocessing, temperature, Map.of());
  }

  /**
   * As {@link #ServingGraph(Ops, ModelSpec, Preprocessing, double)}, the Monte Carlo passes
   * sampling the methods of {@code sampledAs} in place of the dropout layers at those indices of
   * the spec (a scheduled method at its last rate, importance-guided dropout at its per-unit rates
   * as training left them, {@code TrainingRun.monteCarloLayers}): with every layer that cannot run
   * as it trained among them, the model has Monte Carlo signatures too.
   */
  public ServingGraph(
      Ops tf,
      ModelSpec spec,
      Preprocessing preprocessing,
      double temperature,
      Map<Integer, DropoutSpec> sampledAs) {
    this(tf, spec, preprocessing, temperature, sampledAs, true);
  }

  /**
   * The dropout-free forward pass of {@code spec} alone, without Monte Carlo signatures even where
   * the model could have them: what the analyses run over.
   */
  public static ServingGraph withoutMonteCarlo(Ops tf, ModelSpec spec) {
    return new ServingGraph(tf, spec, Preprocessing.NONE, 1, Map.of(), false);
  }

  private ServingGraph(
      Ops tf,
      ModelSpec spec,
      Preprocessing preprocessing,
      double temperature,
      Map<Integer, DropoutSpec> sampledAs,
      boolean monteCarlo) {
    if (!(temperature > 0 && Double.isFinite(temperature))) {
      throw new IllegalArgumentException(
          "temperature=" + temperature + " is not allowed: must be a finite number > 0");
    }
    input = input(tf, spec);
    weights = WeightStore.declared(tf, spec);
    Operand<TFloat32> x = scaled(tf, input, preprocessing);
    Operand<TFloat32> raw = weights.network().logits(tf, x);
    logits =
        tf.withName(LOGITS)
            .identity(
                temperature == 1
                    ? raw
                    : tf.withSubScope("temperature")
                        .math
                        .div(raw, tf.constant((float) temperature)));
    probabilities = tf.withName(PROBABILITIES).nn.softmax(logits);
    ModelSpec sampled = MonteCarloSpecs.sampledAs(spec, sampledAs);
    if (monteCarlo && supportsMonteCarlo(sampled)) {
      Ops mc = tf.withSubScope("mc_dropout");
      mcSeed = tf.withName(MC_SEED).placeholderWithDefault(tf.constant(0L), Shape.scalar());
      // The network before the first dropout layer is the same in every pass: computed once.
      ForwardWithDropout.Prefix shared =
          ForwardWithDropout.beforeDropout(mc, sampled, weights.network(), x);
      mcProbabilities =
          tf.withName(MC_PROBABILITIES)
              .nn
              .softmax(monteCarloLogits(mc, sampled, shared, mcSeed, null));
      // The same passes, MC_PASSES of them in one run: pass k's masks are those of seed + k.
      mcPassProbabilities =
          tf.withName(MC_PASS_PROBABILITIES).stack(passes(tf, "mc_pass_", sampled, shared, null));
      ModelSpec oneMask = MonteCarloSpecs.sharedMasks(sampled);
      if (oneMask != null) {
        mcSharedPassProbabilities =
            tf.withName(MC_SHARED_PASS_PROBABILITIES)
                .stack(passes(tf, "mc_shared_pass_", oneMask, shared, null));
      }
      ModelSpec live = MonteCarloSpecs.live(sampled);
      if (live != null) {
        // One pass over the clean network scores the inputs for every live pass.
        ScoreSource scores = ScoreSource.live(tf.withSubScope("mc_live"), weights.network(), x);
        mcLivePassProbabilities =
            tf.withName(MC_LIVE_PASS_PROBABILITIES)
                .stack(passes(tf, "mc_live_pass_", live, shared, scores));
      }
    }
  }

  /** {@link #MC_PASSES} passes' probabilities from {@code shared}, pass k seeded seed + k. */
  private List<Operand<TFloat32>> passes(
      Ops tf, String prefix, ModelSpec spec, ForwardWithDropout.Prefix shared, ScoreSource scores) {
    List<Operand<TFloat32>> passes = new ArrayList<>();
    for (int k = 0; k < MC_PASSES; k++) {
      Ops pass = tf.withSubScope(prefix + k);
      passes.add(
          pass.nn.softmax(
              monteCarloLogits(
                  pass, spec, shared, pass.math.add(mcSeed, pass.constant((long) k)), scores)));
    }
    return passes;
  }

  /**
   * The logits of one Monte Carlo pass from {@code from} (the shared part of the network before the
   * first dropout layer), its masks seeded by {@code step}: dropout on, BatchNorm on its moving
   * statistics, progress 1 (a method that ramps its rate, DropBlock, runs at its full rate), the
   * importance of the inputs from {@code scores} (null: none) at an epoch past any annealing.
   */
  private Operand<TFloat32> monteCarloLogits(
      Ops scope,
      ModelSpec spec,
      ForwardWithDropout.Prefix from,
      Operand<TInt64> step,
      ScoreSource scores) {
    return ForwardWithDropout.logits(
        scope,
        spec,
        weights.network(),
        from,
        new ForwardWithDropout.Pass(
            scope.constant(true),
            false,
            0,
            step,
            scope.constant(scores == null ? 0L : PAST_ANNEALING),
            scope.constant(1f),
            scores,
            new ArrayList<>(),
            null,
            null,
            null,
            null));
  }

  /**
   * What the Monte Carlo passes sample in place of each layer of {@code sampledAs}, by the layer's
   * name: "ydrop: per-unit rates as training left them (mean 0.387)", "concrete:p=0.1: sampled as
   * standard:p=0.0831".
   */
  public static Map<String, String> describe(ModelSpec spec, Map<Integer, DropoutSpec> sampledAs) {
    Map<String, String> out = new java.util.LinkedHashMap<>();
    sampledAs.forEach(
        (index, method) -> {
          LayerSpec.Dropout layer = (LayerSpec.Dropout) spec.layers().get(index);
          out.put(
              spec.layerNames().get(index),
              layer.method().text()
                  + (method instanceof FrozenDropout f
                      ? String.format(
                          java.util.Locale.ROOT,
                          ": per-unit rates as training left them (mean %.3f)",
                          (double) f.settings().get("meanRate"))
                      : ": sampled as " + method.text()));
        });
    return out;
  }

  /**
   * {@code (x - shift) / divisor}, broadcast over the batch; {@code x} itself when nothing is done.
   */
  private static Operand<TFloat32> scaled(Ops tf, Operand<TFloat32> x, Preprocessing p) {
    if (p.scale() == Preprocessing.Scale.NONE) {
      return x;
    }
    Ops s = tf.withSubScope(PREPROCESSING);
    return s.math.div(s.math.sub(x, s.constant(p.shift())), s.constant(p.divisor()));
  }

  /** The input placeholder {@code x [N, features]} of both graphs. */
  static Placeholder<TFloat32> input(Ops tf, ModelSpec spec) {
    return tf.withName(INPUT)
        .placeholder(
            TFloat32.class, Placeholder.shape(Shape.of(Shape.UNKNOWN_SIZE, spec.inputs())));
  }

  /**
   * Whether Monte Carlo dropout can run in a serving graph: the model has dropout (a dropout layer,
   * or dropout inside a recurrent layer), and every dropout method draws its masks from the seed
   * alone (no importance scores, no training state, no schedule).
   */
  public static boolean supportsMonteCarlo(ModelSpec spec) {
    boolean any = false;
    for (LayerSpec layer : spec.layers()) {
      if (layer instanceof LayerSpec.Dropout d) {
        DropoutSpec m = d.method();
        if (!m.monteCarloAtServing()) {
          return false;
        }
        any |= !(m instanceof NoDropout);
      } else if (layer instanceof LayerSpec.Recurrent r && r.dropout().any()) {
        if (!r.dropout().monteCarloAtServing()) {
          return false;
        }
        any = true;
      }
    }
    return any;
  }

  /** The weights, to be set from a trained model before the graph runs. */
  public WeightStore weights() {
    return weights;
  }

  /** The input placeholder {@code x [N, features]}, raw features. */
  public Placeholder<TFloat32> input() {
    return input;
  }

  /** The logits, without dropout. */
  public Operand<TFloat32> logits() {
    return logits;
  }

  /** The softmax of {@link #logits()}. */
  public Operand<TFloat32> probabilities() {
    return probabilities;
  }

  /** With Monte Carlo dropout only: the seed of the masks (a scalar, default 0), else null. */
  public Operand<TInt64> monteCarloSeed() {
    return mcSeed;
  }

  /** With Monte Carlo dropout only: probabilities with dropout on, else null. */
  public Operand<TFloat32> monteCarloProbabilities() {
    return mcProbabilities;
  }

  /**
   * With Monte Carlo dropout only: {@link #MC_PASSES} passes' probabilities {@code [passes, N,
   * classes]}, pass k seeded {@code seed + k}, else null.
   */
  public Operand<TFloat32> monteCarloPassProbabilities() {
    return mcPassProbabilities;
  }

  /**
   * As {@link #monteCarloPassProbabilities} with one mask per pass for every example, as if each
   * were predicted alone; null where the model's dropout cannot share its masks ({@link
   * MonteCarloSpecs#sharedMasks}) or it has no Monte Carlo passes.
   */
  public Operand<TFloat32> monteCarloSharedPassProbabilities() {
    return mcSharedPassProbabilities;
  }

  /**
   * As {@link #monteCarloPassProbabilities} with the importance-guided layers drawn live from the
   * inputs' importance; null where the model has none that can be ({@link MonteCarloSpecs#live}).
   */
  public Operand<TFloat32> monteCarloLivePassProbabilities() {
    return mcLivePassProbabilities;
  }
}
