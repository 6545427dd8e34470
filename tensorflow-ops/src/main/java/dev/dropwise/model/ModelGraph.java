package dev.dropwise.model;

import dev.dropwise.dropout.DropConnect;
import dev.dropwise.dropout.DropoutContext;
import dev.dropwise.dropout.DropoutSpec;
import dev.dropwise.dropout.Masked;
import dev.dropwise.dropout.NoDropout;
import dev.dropwise.dropout.ScheduledDropout;
import dev.dropwise.importance.ScoreSource;
import dev.dropwise.network.FeatureShape;
import dev.dropwise.network.LayerNames;
import dev.dropwise.network.Network;
import dev.dropwise.ops.DropoutOps;
import dev.dropwise.util.Seeds;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
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
  private final List<Variable<TFloat32>> trainable = new ArrayList<>();
  private final List<Placeholder<TFloat32>> assignValues = new ArrayList<>();
  private final List<Op> assignOps = new ArrayList<>();
  private final List<Op> stateUpdates = new ArrayList<>();
  private final List<Operand<TFloat32>> dropFractions = new ArrayList<>();
  private Network network;
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
    g.network = g.buildNetwork(tf, (name, shape, initial) -> tf.withName(name).variable(initial.get()), initSeed);
    g.scores = new ScoreSource(tf, g.network, g.input, g.labels, g.epoch);
    long scheduled = spec.layers().stream()
        .filter(l -> l instanceof LayerSpec.Dropout d && d.method() instanceof ScheduledDropout).count();
    g.rates = tf.withName(RATES).placeholderWithDefault(
        tf.zeros(tf.constant(new int[] {(int) scheduled}), TFloat32.class), Shape.of(scheduled));
    g.setLogits(g.forwardWithDropout(tf, new Pass(g.training, true, maskSeed, g.step, g.epoch, g.progress, g.scores,
        g.stateUpdates, g.rates, true)));
    g.lossAndAccuracy(tf);
    return g;
  }

  /** The dropout-free forward pass with uninitialised weights; set them with {@link #assignOps()}. */
  public static ModelGraph forServing(Ops tf, ModelSpec spec) {
    ModelGraph g = new ModelGraph(tf, spec);
    g.network = g.buildNetwork(tf, g::declared, 0);
    g.setLogits(g.network.forward(tf, g.input).logits());
    if (supportsMonteCarlo(spec)) {
      Ops mc = tf.withSubScope("mc_dropout");
      g.mcSeed = tf.withName(MC_SEED).placeholderWithDefault(tf.constant(0L), Shape.scalar());
      // Progress 1: a method with a rate schedule (DropBlock's ramp) runs at its full rate.
      Operand<TFloat32> mcLogits = g.forwardWithDropout(mc, new Pass(mc.constant(true), false, 0, g.mcSeed,
          mc.constant(0L), mc.constant(1f), null, new ArrayList<>(), null, false));
      g.mcProbabilities = tf.withName(MC_PROBABILITIES).nn.softmax(mcLogits);
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
        if (!m.monteCarloAtServing()) {
          return false;
        }
        any |= !(m instanceof NoDropout);
      }
    }
    return any;
  }

  /** Where a variable's value comes from: an initial value (training) or an assignment (serving). */
  private interface VariableSource {
    Variable<TFloat32> create(String name, Shape shape, Supplier<Operand<TFloat32>> initial);
  }

  /**
   * The layers' variables (kernel and bias per Dense or Conv2D; gamma, beta and the moving mean and
   * variance per BatchNorm), in layer order, and the {@link Network} over them.
   */
  private Network buildNetwork(Ops tf, VariableSource source, long initSeed) {
    List<Network.Layer> layers = new ArrayList<>();
    List<FeatureShape> outputs = new ArrayList<>();
    List<FeatureShape> shapes = spec.outputShapes();
    List<String> names = spec.layerNames();
    int dense = 0;
    int conv = 0;
    for (int i = 0; i < spec.layers().size(); i++) {
      LayerSpec layer = spec.layers().get(i);
      FeatureShape in = spec.inputShape(i);
      Network.Layer built;
      if (layer instanceof LayerSpec.Dense d) {
        String name = names.get(i);
        long seed = Seeds.mix(initSeed, dense++);
        // Variables are named at the top level (dense_0_kernel): tensorflow-framework's optimisers
        // name their slots "<variable>-momentum", which a scoped name with '/' cannot form.
        Variable<TFloat32> kernel = weight(source, LayerNames.kernel(name), Shape.of(in.size(), d.units()),
            () -> d.initializer().create(tf.withSubScope(name), in.size(), d.units(), seed));
        Variable<TFloat32> bias = weight(source, LayerNames.bias(name), Shape.of(d.units()), () -> zeros(tf, d.units()));
        built = new Network.Linear(Network.Kind.DENSE, kernel, bias, d.activation(), 1, norm(tf, source, name, i, d.units()));
      } else if (layer instanceof LayerSpec.Conv2D c) {
        String name = names.get(i);
        long seed = Seeds.mix(initSeed, -1 - conv++);
        long[] shape = {c.size(), c.size(), in.channels(), c.filters()};
        Variable<TFloat32> kernel = weight(source, LayerNames.kernel(name), Shape.of(shape),
            () -> c.initializer().create(tf.withSubScope(name), shape, c.size() * c.size() * in.channels(),
                c.size() * c.size() * c.filters(), seed));
        Variable<TFloat32> bias = weight(source, LayerNames.bias(name), Shape.of(c.filters()), () -> zeros(tf, c.filters()));
        built = new Network.Linear(Network.Kind.CONV, kernel, bias, c.activation(), c.stride(),
            norm(tf, source, name, i, c.filters()));
      } else if (layer instanceof LayerSpec.MaxPool p) {
        built = new Network.MaxPool(p.size());
      } else if (layer instanceof LayerSpec.Flatten) {
        built = new Network.Flatten(in.size());
      } else {
        continue; // BatchNorm is folded into the layer before it; dropout is not part of the clean network
      }
      layers.add(built);
      outputs.add(shapes.get(i));
    }
    return new Network(spec.input(), layers, outputs);
  }

  /** The BatchNorm that follows layer {@code index}, if any, with its four variables. */
  private Network.Norm norm(Ops tf, VariableSource source, String layerName, int index, int units) {
    if (!(index + 1 < spec.layers().size() && spec.layers().get(index + 1) instanceof LayerSpec.BatchNorm bn)) {
      return null;
    }
    String name = layerName + "_bn";
    Variable<TFloat32> gamma = weight(source, name + "_gamma", Shape.of(units), () -> ones(tf, units));
    Variable<TFloat32> beta = weight(source, name + "_beta", Shape.of(units), () -> zeros(tf, units));
    Variable<TFloat32> mean = source.create(name + "_moving_mean", Shape.of(units), () -> zeros(tf, units));
    Variable<TFloat32> variance = source.create(name + "_moving_variance", Shape.of(units), () -> ones(tf, units));
    variables.add(mean);
    variables.add(variance);
    return new Network.Norm(gamma, beta, mean, variance, (float) bn.epsilon());
  }

  private Variable<TFloat32> weight(VariableSource source, String name, Shape shape, Supplier<Operand<TFloat32>> initial) {
    Variable<TFloat32> v = source.create(name, shape, initial);
    variables.add(v);
    trainable.add(v);
    return v;
  }

  private static Operand<TFloat32> zeros(Ops tf, int n) {
    return tf.zeros(tf.constant(new int[] {n}), TFloat32.class);
  }

  private static Operand<TFloat32> ones(Ops tf, int n) {
    return tf.fill(tf.constant(new int[] {n}), tf.constant(1f));
  }

  /**
   * How a forward pass with dropout runs: the training switch, whether BatchNorm uses the batch's
   * moments while it is on (training) or its moving averages (Monte Carlo), the masks' seed and
   * step, and what the dropout methods may use.
   */
  private record Pass(Operand<TBool> training, boolean batchStatistics, long maskSeed, Operand<TInt64> step,
      Operand<TInt64> epoch, Operand<TFloat32> progress, ScoreSource scores, List<Op> stateUpdates,
      Operand<TFloat32> rates, boolean recordFractions) {}

  /** The forward pass through {@link #network} with every dropout layer in place; returns the logits. */
  private Operand<TFloat32> forwardWithDropout(Ops tf, Pass pass) {
    DropoutOps seeds = DropoutOps.create(tf);
    Operand<TFloat32> h = network.reshapeInput(tf, input);
    List<String> layerNames = spec.layerNames();
    int layerIndex = -1;
    int scheduledIndex = 0;
    PendingDropConnect pendingDropConnect = null;
    for (int i = 0; i < spec.layers().size(); i++) {
      LayerSpec layer = spec.layers().get(i);
      if (layer instanceof LayerSpec.BatchNorm) {
        continue; // applied with the layer it follows
      }
      if (!(layer instanceof LayerSpec.Dropout drop)) {
        Network.Layer built = network.layers().get(++layerIndex);
        Ops scope = tf.withSubScope(network.scopeName(layerIndex));
        if (!(built instanceof Network.Linear linear)) {
          h = built.forward(scope, h);
          continue;
        }
        if (pendingDropConnect != null) {
          linear = new Network.Linear(linear.kind(), pendingDropConnect.method().maskKernel(pendingDropConnect.context(),
              linear.kernel()), linear.bias(), linear.activation(), linear.stride(), linear.norm());
          pendingDropConnect = null;
        }
        Operand<TFloat32> z = linear.linear(scope, h);
        if (linear.norm() != null) {
          z = pass.batchStatistics()
              ? batchNormalise(scope, linear.norm(), (LayerSpec.BatchNorm) spec.layers().get(i + 1), z, pass)
              : linear.norm().normalise(scope, z, linear.norm().mean(), linear.norm().variance());
        }
        h = linear.activation().apply(scope, z);
        continue;
      }
      Ops scope = tf.withSubScope(layerNames.get(i));
      Operand<TFloat32> rate = drop.method() instanceof ScheduledDropout
          ? scope.gather(pass.rates(), scope.constant(scheduledIndex++), scope.constant(0))
          : null;
      DropoutContext ctx = new DropoutContext(scope, pass.training(), seeds.seed(pass.maskSeed(), i, pass.step()),
          pass.epoch(), pass.progress(), layerIndex, pass.scores(), pass.stateUpdates(), rate);
      if (layerIndex >= 0 && network.layers().get(layerIndex) instanceof Network.Linear previous) {
        ctx = ctx.withLayerKernel(previous.kernel());
      }
      if (drop.method() instanceof DropConnect connect) {
        // DropConnect masks the next Dense layer's kernel.
        pendingDropConnect = new PendingDropConnect(connect, ctx);
        continue;
      }
      Masked masked = drop.method().applyTo(ctx, h);
      if (pass.recordFractions() && masked.multiplier() != null) {
        Operand<TFloat32> isDropped = scope.dtypes.cast(scope.math.equal(masked.multiplier(), scope.constant(0f)), TFloat32.class);
        dropFractions.add(scope.withName("dropped_fraction").math.mean(
            scope.reshape(isDropped, scope.constant(new int[] {-1})), scope.constant(0)));
      }
      h = masked.output();
    }
    return h;
  }

  /**
   * BatchNorm of {@code z} with the batch's moments while training (and the moving averages moved
   * towards them with each training step), the moving averages otherwise.
   */
  private static Operand<TFloat32> batchNormalise(Ops tf, Network.Norm norm, LayerSpec.BatchNorm bn,
      Operand<TFloat32> z, Pass pass) {
    Ops s = tf.withSubScope("batch_norm");
    int[] axes = z.shape().numDimensions() == 4 ? new int[] {0, 1, 2} : new int[] {0};
    Operand<TFloat32> batchMean = s.math.mean(z, s.constant(axes));
    Operand<TFloat32> batchVariance = s.math.mean(s.math.squaredDifference(z, batchMean), s.constant(axes));
    Operand<TFloat32> on = s.dtypes.cast(pass.training(), TFloat32.class);
    Operand<TFloat32> off = s.math.sub(s.constant(1f), on);
    Operand<TFloat32> mean = s.math.add(s.math.mul(on, batchMean), s.math.mul(off, norm.mean()));
    Operand<TFloat32> variance = s.math.add(s.math.mul(on, batchVariance), s.math.mul(off, norm.variance()));
    Operand<TFloat32> keep = s.constant((float) bn.momentum());
    Operand<TFloat32> move = s.constant((float) (1 - bn.momentum()));
    pass.stateUpdates().add(s.assign(norm.mean(),
        s.math.add(s.math.mul(keep, norm.mean()), s.math.mul(move, s.stopGradient(batchMean)))));
    pass.stateUpdates().add(s.assign(norm.variance(),
        s.math.add(s.math.mul(keep, norm.variance()), s.math.mul(move, s.stopGradient(batchVariance)))));
    return norm.normalise(s, z, mean, variance);
  }

  /** A DropConnect waiting for the Dense layer whose kernel it masks. */
  private record PendingDropConnect(DropConnect method, DropoutContext context) {}

  private Variable<TFloat32> declared(String name, Shape shape, Supplier<Operand<TFloat32>> ignored) {
    Variable<TFloat32> v = root.withName(name).variable(shape, TFloat32.class);
    Placeholder<TFloat32> value = root.withName(name + "_value").placeholder(TFloat32.class, Placeholder.shape(shape));
    assignValues.add(value);
    assignOps.add(root.withName(name + "_assign").assign(v, value));
    return v;
  }

  private void setLogits(Operand<TFloat32> output) {
    logits = root.withName(LOGITS).identity(output);
    probabilities = root.withName(PROBABILITIES).nn.softmax(logits);
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

  /** The layers as weights in inference mode, for clean forward passes. */
  public Network network() {
    return network;
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

  /**
   * Every variable of the model, in layer order: kernel and bias of each Dense and Conv2D layer, and
   * a BatchNorm's gamma, beta, moving mean and moving variance. What checkpoints and exports carry.
   */
  public List<Variable<TFloat32>> variables() {
    return List.copyOf(variables);
  }

  /** The variables the optimiser trains: {@link #variables()} without BatchNorm's moving averages. */
  public List<Variable<TFloat32>> trainableVariables() {
    return List.copyOf(trainable);
  }

  /** Serving graph only: a value placeholder per variable, in {@link #variables()} order. */
  public List<Placeholder<TFloat32>> assignValues() {
    return List.copyOf(assignValues);
  }

  /**
   * Serving graph only: sets every variable to {@code values.apply(name)} (flattened row-major), by
   * the names of {@link #variables()} — how a trained model is rebuilt in a graph of its own.
   */
  public void assign(org.tensorflow.Session session, Function<String, float[]> values) {
    org.tensorflow.Session.Runner runner = session.runner();
    List<TFloat32> tensors = new ArrayList<>();
    try {
      for (int i = 0; i < variables.size(); i++) {
        Variable<TFloat32> variable = variables.get(i);
        float[] value = values.apply(variable.op().name());
        if (value == null) {
          throw new IllegalArgumentException("no value for the model's variable " + variable.op().name());
        }
        TFloat32 t = TFloat32.tensorOf(variable.shape(), DataBuffers.of(value, true, false));
        tensors.add(t);
        runner.feed(assignValues.get(i), t).addTarget(assignOps.get(i));
      }
      runner.run().close();
    } finally {
      tensors.forEach(TFloat32::close);
    }
  }

  /** Serving graph only: the ops that copy {@link #assignValues()} into the variables. */
  public List<Op> assignOps() {
    return List.copyOf(assignOps);
  }
}
