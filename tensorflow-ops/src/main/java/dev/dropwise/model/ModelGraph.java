package dev.dropwise.model;

import dev.dropwise.dropout.AlphaDropout;
import dev.dropwise.dropout.DropoutContext;
import dev.dropwise.dropout.DropoutSpec;
import dev.dropwise.dropout.NoDropout;
import dev.dropwise.dropout.SectorWiseDropout;
import dev.dropwise.dropout.StandardDropout;
import dev.dropwise.dropout.Masked;
import dev.dropwise.importance.ScoreSource;
import dev.dropwise.ops.DropoutOps;
import dev.dropwise.util.Seeds;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * A {@link ModelSpec} built into a graph, in one of two modes:
 *
 * <ul>
 *   <li>{@link #forTraining}: the dropout ops behind a {@code training} switch (a placeholder that
 *       defaults to false, so the same graph evaluates without dropout), a {@code step} input that
 *       keys the masks, labels, loss and accuracy; weights initialised from a seed.
 *   <li>{@link #forServing}: only the forward pass {@code x -> logits, probabilities}, no dropout
 *       op, no switch; weights are declared without initialisers and set with {@link
 *       #assignOps()} — the graph a SavedModel should hold.
 * </ul>
 */
public final class ModelGraph {
  public static final String INPUT = "x";
  public static final String LABELS = "labels";
  public static final String TRAINING = "training";
  public static final String STEP = "step";
  public static final String EPOCH = "epoch";
  public static final String PROGRESS = "progress";
  public static final String RATES = "scheduled_rates";
  public static final String MC_SEED = "mc_seed";
  public static final String MC_PROBABILITIES = "mc_probabilities";
  public static final String LOGITS = "logits";
  public static final String PROBABILITIES = "probabilities";

  private final Ops root;
  private final ModelSpec spec;
  private final Placeholder<TFloat32> input;
  private final List<Variable<TFloat32>> variables = new ArrayList<>();
  private final List<Placeholder<TFloat32>> assignValues = new ArrayList<>();
  private final List<Op> assignOps = new ArrayList<>();
  private final List<Op> stateUpdates = new ArrayList<>();
  private final List<Operand<TFloat32>> dropFractions = new ArrayList<>();
  private DenseStack stack;
  private ScoreSource scores;
  private Operand<TBool> training;
  private Operand<TInt64> step;
  private Operand<TInt64> epoch;
  private Operand<TFloat32> progress;
  private Operand<TFloat32> rates;
  private Operand<TInt64> mcSeed;
  private Operand<TFloat32> mcProbabilities;
  private Placeholder<TInt32> labels;
  private Operand<TFloat32> logits;
  private Operand<TFloat32> probabilities;
  private Operand<TFloat32> meanLoss;
  private Operand<TFloat32> lossSum;
  private Operand<TFloat32> correct;

  private ModelGraph(Ops tf, ModelSpec spec) {
    this.root = tf;
    this.spec = spec;
    this.input = tf.withName(INPUT).placeholder(TFloat32.class,
        Placeholder.shape(Shape.of(Shape.UNKNOWN_SIZE, spec.inputs())));
  }

  /** The training graph; {@code initSeed} fixes the initial weights, {@code maskSeed} the masks. */
  public static ModelGraph forTraining(Ops tf, ModelSpec spec, long initSeed, long maskSeed) {
    ModelGraph g = new ModelGraph(tf, spec);
    g.training = tf.withName(TRAINING).placeholderWithDefault(tf.constant(false), Shape.scalar());
    g.step = tf.withName(STEP).placeholderWithDefault(tf.constant(0L), Shape.scalar());
    g.epoch = tf.withName(EPOCH).placeholderWithDefault(tf.constant(0L), Shape.scalar());
    g.progress = tf.withName(PROGRESS).placeholderWithDefault(tf.constant(0f), Shape.scalar());
    g.labels = tf.withName(LABELS).placeholder(TInt32.class, Placeholder.shape(Shape.of(Shape.UNKNOWN_SIZE)));
    // All weights first: importance measures need the whole network above a layer.
    List<DenseStack.Layer> layers = new ArrayList<>();
    int width = spec.inputs();
    for (LayerSpec.Dense d : spec.denseLayers()) {
      int index = layers.size();
      Ops scope = tf.withSubScope("dense_" + index);
      // Variables are named at the top level (dense_0_kernel): tensorflow-framework's optimisers
      // name their slots "<variable>-momentum", which a scoped name with '/' cannot form.
      Variable<TFloat32> kernel = tf.withName(variableName(index, "kernel")).variable(
          d.initializer().create(scope, width, d.units(), Seeds.mix(initSeed, index)));
      Variable<TFloat32> bias = tf.withName(variableName(index, "bias")).variable(
          scope.zeros(scope.constant(new int[] {d.units()}), TFloat32.class));
      g.variables.add(kernel);
      g.variables.add(bias);
      layers.add(new DenseStack.Layer(kernel, bias, d.activation()));
      width = d.units();
    }
    g.stack = new DenseStack(layers);
    g.scores = new ScoreSource(tf, g.stack, g.input, g.labels, g.epoch);
    long scheduled = spec.layers().stream()
        .filter(l -> l instanceof LayerSpec.Dropout d && d.method() instanceof dev.dropwise.dropout.ScheduledDropout).count();
    g.rates = tf.withName(RATES).placeholderWithDefault(
        tf.zeros(tf.constant(new int[] {(int) scheduled}), TFloat32.class), Shape.of(scheduled));
    int scheduledIndex = 0;
    PendingDropConnect pendingDropConnect = null;
    DropoutOps seeds = DropoutOps.create(tf);
    Operand<TFloat32> h = g.input;
    int dense = 0;
    for (int i = 0; i < spec.layers().size(); i++) {
      LayerSpec layer = spec.layers().get(i);
      if (layer instanceof LayerSpec.Dense) {
        DenseStack.Layer weights = layers.get(dense);
        if (pendingDropConnect != null) {
          weights = new DenseStack.Layer(pendingDropConnect.method().maskKernel(pendingDropConnect.context(), weights.kernel()),
              weights.bias(), weights.activation());
          pendingDropConnect = null;
        }
        h = g.dense(tf.withSubScope("dense_" + dense), h, weights, isLast(spec, i));
        dense++;
      } else if (layer instanceof LayerSpec.Dropout drop && drop.method() instanceof dev.dropwise.dropout.DropConnect connect) {
        // DropConnect masks the next Dense layer's kernel.
        pendingDropConnect = new PendingDropConnect(connect, new DropoutContext(tf.withSubScope("dropconnect_" + i),
            g.training, seeds.seed(maskSeed, i, g.step), g.epoch, g.progress, dense - 1, g.scores, g.stateUpdates));
      } else if (layer instanceof LayerSpec.Dropout drop) {
        Ops scope = tf.withSubScope("dropout_" + i);
        Operand<TFloat32> rate = null;
        if (drop.method() instanceof dev.dropwise.dropout.ScheduledDropout) {
          rate = scope.gather(g.rates, scope.constant(scheduledIndex++), scope.constant(0));
        }
        DropoutContext ctx = new DropoutContext(scope, g.training, seeds.seed(maskSeed, i, g.step), g.epoch,
            g.progress, dense - 1, g.scores, g.stateUpdates, rate);
        Masked masked = drop.method().apply(ctx, h);
        if (masked.multiplier() != null) {
          g.dropFractions.add(scope.withName("dropped_fraction").math.mean(
              scope.dtypes.cast(scope.math.equal(masked.multiplier(), scope.constant(0f)), TFloat32.class),
              scope.constant(new int[] {0, 1})));
        }
        h = masked.output();
      }
    }
    g.lossAndAccuracy(tf);
    return g;
  }

  /** The dropout-free forward pass with uninitialised weights; set them with {@link #assignOps()}. */
  public static ModelGraph forServing(Ops tf, ModelSpec spec) {
    ModelGraph g = servingPath(tf, spec);
    if (supportsMonteCarlo(spec)) {
      g.monteCarlo(tf);
    }
    return g;
  }

  /**
   * Whether Monte Carlo dropout can run in a serving graph: every dropout method must draw its
   * masks from the seed alone (no importance scores, no training state, no schedule).
   */
  public static boolean supportsMonteCarlo(ModelSpec spec) {
    boolean any = false;
    for (LayerSpec layer : spec.layers()) {
      if (layer instanceof LayerSpec.Dropout d) {
        DropoutSpec m = d.method();
        if (!(m instanceof NoDropout || m instanceof StandardDropout || m instanceof SectorWiseDropout
            || m instanceof AlphaDropout)) {
          return false;
        }
        any |= !(m instanceof NoDropout);
      }
    }
    return any;
  }

  /** A second forward pass through the same weights with dropout on, its masks keyed by {@code mc_seed}. */
  private void monteCarlo(Ops tf) {
    Ops mc = tf.withSubScope("mc_dropout");
    mcSeed = tf.withName(MC_SEED).placeholderWithDefault(tf.constant(0L), Shape.scalar());
    DropoutOps seeds = DropoutOps.create(mc);
    Operand<TFloat32> h = input;
    int dense = 0;
    for (int i = 0; i < spec.layers().size(); i++) {
      LayerSpec layer = spec.layers().get(i);
      if (layer instanceof LayerSpec.Dense d) {
        DenseStack.Layer weights = new DenseStack.Layer(variables.get(2 * dense), variables.get(2 * dense + 1), d.activation());
        h = weights.activation().apply(mc, weights.preActivation(mc, h));
        dense++;
      } else if (layer instanceof LayerSpec.Dropout drop) {
        Ops scope = mc.withSubScope("dropout_" + i);
        DropoutContext ctx = new DropoutContext(scope, mc.constant(true), seeds.seed(0, i, mcSeed), mc.constant(0L),
            mc.constant(0f), dense - 1, null, new ArrayList<>());
        h = drop.method().apply(ctx, h).output();
      }
    }
    mcProbabilities = root.withName(MC_PROBABILITIES).nn.softmax(h);
  }

  private static ModelGraph servingPath(Ops tf, ModelSpec spec) {
    ModelGraph g = new ModelGraph(tf, spec);
    Operand<TFloat32> h = g.input;
    int width = spec.inputs();
    int dense = 0;
    for (int i = 0; i < spec.layers().size(); i++) {
      if (spec.layers().get(i) instanceof LayerSpec.Dense d) {
        Ops scope = tf.withSubScope("dense_" + dense);
        Variable<TFloat32> kernel = g.declared(tf, variableName(dense, "kernel"), Shape.of(width, d.units()));
        Variable<TFloat32> bias = g.declared(tf, variableName(dense, "bias"), Shape.of(d.units()));
        g.variables.add(kernel);
        g.variables.add(bias);
        h = g.dense(scope, h, new DenseStack.Layer(kernel, bias, d.activation()), isLast(spec, i));
        width = d.units();
        dense++;
      }
    }
    return g;
  }

  /** A DropConnect waiting for the Dense layer whose kernel it masks. */
  private record PendingDropConnect(dev.dropwise.dropout.DropConnect method, DropoutContext context) {}

  private static String variableName(int denseIndex, String kind) {
    return "dense_" + denseIndex + "_" + kind;
  }

  private static boolean isLast(ModelSpec spec, int index) {
    return index == spec.layers().size() - 1;
  }

  private Variable<TFloat32> declared(Ops scope, String name, Shape shape) {
    Variable<TFloat32> v = scope.withName(name).variable(shape, TFloat32.class);
    Placeholder<TFloat32> value = scope.withName(name + "_value").placeholder(TFloat32.class, Placeholder.shape(shape));
    assignValues.add(value);
    assignOps.add(scope.withName(name + "_assign").assign(v, value));
    return v;
  }

  private Operand<TFloat32> dense(Ops scope, Operand<TFloat32> h, DenseStack.Layer layer, boolean last) {
    Operand<TFloat32> a = layer.activation().apply(scope, layer.preActivation(scope, h));
    if (last) {
      logits = root.withName(LOGITS).identity(a);
      probabilities = root.withName(PROBABILITIES).nn.softmax(logits);
      return logits;
    }
    return a;
  }

  private void lossAndAccuracy(Ops tf) {
    Ops s = tf.withSubScope("loss");
    // The dense op, not the sparse one: TF's C++ gradient registry has no gradient for
    // SparseSoftmaxCrossEntropyWithLogits.
    Operand<TFloat32> oneHot = s.oneHot(labels, s.constant(spec.classes()), s.constant(1f), s.constant(0f));
    Operand<TFloat32> perExample = s.nn.softmaxCrossEntropyWithLogits(logits, oneHot).loss();
    meanLoss = s.withName("mean").math.mean(perExample, s.constant(0));
    lossSum = s.withName("sum").reduceSum(perExample, s.constant(0));
    Operand<TInt32> predicted = s.math.argMax(logits, s.constant(1), TInt32.class);
    correct = s.withName("correct").reduceSum(
        s.dtypes.cast(s.math.equal(predicted, labels), TFloat32.class), s.constant(0));
  }

  public ModelSpec spec() {
    return spec;
  }

  public Placeholder<TFloat32> input() {
    return input;
  }

  public Placeholder<TInt32> labels() {
    return labels;
  }

  public Operand<TBool> training() {
    return training;
  }

  public Operand<TInt64> step() {
    return step;
  }

  /** The 0-based epoch (Y-Drop's annealing, per-epoch importance). */
  public Operand<TInt64> epoch() {
    return epoch;
  }

  /** Training progress epoch / epochs (PFID's λ schedule). */
  public Operand<TFloat32> progress() {
    return progress;
  }

  /** Serving graph with Monte Carlo dropout only: the seed of the masks (a scalar, default 0), else null. */
  public Operand<TInt64> monteCarloSeed() {
    return mcSeed;
  }

  /** Serving graph with Monte Carlo dropout only: probabilities with dropout on, else null. */
  public Operand<TFloat32> monteCarloProbabilities() {
    return mcProbabilities;
  }

  /** One rate per scheduled dropout layer, in layer order, fed every training step. */
  public Operand<TFloat32> scheduledRates() {
    return rates;
  }

  /** Ops that update the dropout methods' state; run with every training step. */
  public List<Op> stateUpdates() {
    return List.copyOf(stateUpdates);
  }

  /** Per dropout layer that masks anything: the fraction of units its multiplier set to 0. */
  public List<Operand<TFloat32>> dropFractions() {
    return List.copyOf(dropFractions);
  }

  /** The Dense layers as weights, for clean forward passes. */
  public DenseStack stack() {
    return stack;
  }

  /** Where importance-guided methods get their scores; its after-update ops need the train op. */
  public ScoreSource scoreSource() {
    return scores;
  }

  public Operand<TFloat32> logits() {
    return logits;
  }

  public Operand<TFloat32> probabilities() {
    return probabilities;
  }

  /** Mean cross-entropy over the batch: what the optimiser minimises. */
  public Operand<TFloat32> meanLoss() {
    return meanLoss;
  }

  /** Summed cross-entropy, for exact averages over batches of unequal size. */
  public Operand<TFloat32> lossSum() {
    return lossSum;
  }

  /** Number of examples whose arg-max logit is the label. */
  public Operand<TFloat32> correct() {
    return correct;
  }

  /** Kernel and bias of each Dense layer, in order: the trainable variables. */
  public List<Variable<TFloat32>> variables() {
    return List.copyOf(variables);
  }

  /** Serving graph only: a value placeholder per variable, in {@link #variables()} order. */
  public List<Placeholder<TFloat32>> assignValues() {
    return List.copyOf(assignValues);
  }

  /** Serving graph only: the ops that copy {@link #assignValues()} into the variables. */
  public List<Op> assignOps() {
    return List.copyOf(assignOps);
  }
}
