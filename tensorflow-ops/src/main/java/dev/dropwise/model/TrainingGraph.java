package dev.dropwise.model;

import dev.dropwise.dropout.LearnedRate;
import dev.dropwise.dropout.Learning;
import dev.dropwise.importance.ScoreSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.framework.optimizers.Optimizer;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TType;

/**
 * A {@link ModelSpec} built for training: weights initialised from a seed ({@link WeightStore}),
 * the forward pass with dropout behind a {@code training} switch (a placeholder that defaults to
 * false, so the same graph evaluates without dropout), a {@code step} input that keys the masks,
 * labels, loss and accuracy, and the optimiser's update with everything that runs beside it (the
 * dropout methods' state, BatchNorm's moving averages, the importance scores' refresh).
 */
public final class TrainingGraph {
  private static final String LABELS = "labels";
  private static final String TRAINING = "training";
  private static final String STEP = "step";
  private static final String EPOCH = "epoch";
  private static final String PROGRESS = "progress";
  private static final String RATES = "scheduled_rates";

  private final ModelSpec spec;
  private final WeightStore weights;
  private final Placeholder<TFloat32> input;
  private final Placeholder<TInt32> labels;
  private final Operand<TBool> training;
  private final Operand<TInt64> step;
  private final Operand<TInt64> epoch;
  private final Operand<TFloat32> progress;
  private final Operand<TFloat32> rates;
  private final ScoreSource scores;
  private final List<Op> stateUpdates = new ArrayList<>();
  private final List<Operand<TFloat32>> dropFractions = new ArrayList<>();
  private final Map<Integer, Operand<TFloat32>> multipliers = new LinkedHashMap<>();
  private final List<UnitStatistics> unitStatistics = new ArrayList<>();
  private final Learning learning;
  private final Operand<TFloat32> logits;
  private final Operand<TFloat32> meanLoss;
  private final Operand<TFloat32> lossSum;
  private final Operand<TFloat32> correct;
  private final List<Op> stepTargets = new ArrayList<>();
  private final Operand<TBool> weightsFinite;

  /**
   * Builds the graph into {@code tf}: {@code initSeed} fixes the initial weights, {@code maskSeed}
   * the masks; {@code optimizer} (made for the same graph) trains the weights.
   */
  public TrainingGraph(Ops tf, ModelSpec spec, long initSeed, long maskSeed, Optimizer optimizer) {
    this(tf, spec, initSeed, maskSeed, optimizer, null);
  }

  /**
   * As above, the weights starting from {@code start} instead (null: from the initialisers and
   * {@code initSeed}).
   */
  public TrainingGraph(
      Ops tf,
      ModelSpec spec,
      long initSeed,
      long maskSeed,
      Optimizer optimizer,
      StartingWeights start) {
    this.spec = spec;
    input = ServingGraph.input(tf, spec);
    training = tf.withName(TRAINING).placeholderWithDefault(tf.constant(false), Shape.scalar());
    step = tf.withName(STEP).placeholderWithDefault(tf.constant(0L), Shape.scalar());
    epoch = tf.withName(EPOCH).placeholderWithDefault(tf.constant(0L), Shape.scalar());
    progress = tf.withName(PROGRESS).placeholderWithDefault(tf.constant(0f), Shape.scalar());
    labels =
        tf.withName(LABELS)
            .placeholder(TInt32.class, Placeholder.shape(Shape.of(Shape.UNKNOWN_SIZE)));
    // All weights first: importance measures need the whole network above a layer.
    weights = WeightStore.initialised(tf, spec, initSeed, start);
    scores = new ScoreSource(tf, weights.network(), input, labels, epoch);
    learning = new Learning(tf);
    long scheduled =
        spec.layers().stream()
            .filter(l -> l instanceof LayerSpec.Dropout d && d.method().rateSchedule().isPresent())
            .count();
    rates =
        tf.withName(RATES)
            .placeholderWithDefault(
                tf.zeros(tf.constant(new int[] {(int) scheduled}), TFloat32.class),
                Shape.of(scheduled));
    Operand<TFloat32> output =
        ForwardWithDropout.logits(
            tf,
            spec,
            weights.network(),
            input,
            new ForwardWithDropout.Pass(
                training,
                true,
                maskSeed,
                step,
                epoch,
                progress,
                scores,
                stateUpdates,
                rates,
                dropFractions,
                multipliers,
                learning));
    logits = tf.withName(ServingGraph.LOGITS).identity(output);
    for (var entry : multipliers.entrySet()) {
      LayerSpec.Dropout layer = (LayerSpec.Dropout) spec.layers().get(entry.getKey());
      Operand<TFloat32> m = entry.getValue();
      if (!layer.method().monteCarloAtServing()
          && layer.method().rateSchedule().isEmpty()
          && !(layer.method() instanceof LearnedRate)
          && m.shape().numDimensions() == 2
          && m.shape().get(1) > 0) {
        unitStatistics.add(
            UnitStatistics.of(
                tf.withSubScope(spec.layerNames().get(entry.getKey()) + "_units"),
                entry.getKey(),
                m));
      }
    }
    tf.withName(ServingGraph.PROBABILITIES).nn.softmax(logits);

    Ops s = tf.withSubScope("loss");
    // The dense op, not the sparse one: TF's C++ gradient registry has no gradient for
    // SparseSoftmaxCrossEntropyWithLogits.
    Operand<TFloat32> oneHot =
        s.oneHot(labels, s.constant(spec.classes()), s.constant(1f), s.constant(0f));
    Operand<TFloat32> perExample = s.nn.softmaxCrossEntropyWithLogits(logits, oneHot).loss();
    Operand<TFloat32> dataLoss = s.withName("mean").math.mean(perExample, s.constant(0));
    // What the dropout methods learn adds its terms (Concrete dropout's regulariser); the loss
    // reported stays the data's.
    meanLoss =
        learning.losses().isEmpty()
            ? dataLoss
            : s.withName("with_dropout_terms").math.add(dataLoss, s.math.addN(learning.losses()));
    lossSum = s.withName("sum").reduceSum(perExample, s.constant(0));
    Operand<TInt32> predicted = s.math.argMax(logits, s.constant(1), TInt32.class);
    correct =
        s.withName("correct")
            .reduceSum(
                s.dtypes.cast(s.math.equal(predicted, labels), TFloat32.class), s.constant(0));

    Op trainOp = minimize(tf, optimizer);
    stepTargets.add(trainOp);
    stepTargets.addAll(stateUpdates);
    stepTargets.addAll(scores.buildUpdates(trainOp));
    weightsFinite = allFinite(tf, weights.variables());
  }

  /**
   * Gradients with respect to the trainable weights only (the graph also holds the dropout methods'
   * state and BatchNorm's moving averages, which are not trained), applied by the optimiser.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private Op minimize(Ops tf, Optimizer optimizer) {
    List<Variable<TFloat32>> trainable = new ArrayList<>(weights.trainable());
    trainable.addAll(learning.trainable());
    var gradients = tf.gradients(meanLoss, trainable);
    List<Optimizer.GradAndVar<? extends TType>> pairs = new ArrayList<>();
    for (int i = 0; i < trainable.size(); i++) {
      pairs.add(new Optimizer.GradAndVar(gradients.dy(i), trainable.get(i).asOutput()));
    }
    return optimizer.applyGradients(pairs, "train");
  }

  /** One scalar: whether every value of every variable is finite. */
  private static Operand<TBool> allFinite(Ops tf, List<Variable<TFloat32>> variables) {
    List<Operand<TBool>> each = new ArrayList<>();
    for (Variable<TFloat32> v : variables) {
      each.add(
          tf.reduceAll(tf.math.isFinite(v), tf.range(tf.constant(0), tf.rank(v), tf.constant(1))));
    }
    return tf.reduceAll(tf.stack(each), tf.constant(0));
  }

  /** The model the graph was built from. */
  public ModelSpec spec() {
    return spec;
  }

  /** The model's variables and the clean network over them. */
  public WeightStore weights() {
    return weights;
  }

  /** The input placeholder {@code x [N, features]}, fed a batch's features. */
  public Placeholder<TFloat32> input() {
    return input;
  }

  /** The labels placeholder {@code [N]}: class indices. */
  public Placeholder<TInt32> labels() {
    return labels;
  }

  /** The training switch (default false): true turns dropout on. */
  public Operand<TBool> training() {
    return training;
  }

  /** The global step (default 0), which keys the dropout masks. */
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

  /** One rate per scheduled dropout layer, in layer order, fed every training step. */
  public Operand<TFloat32> scheduledRates() {
    return rates;
  }

  /** Per dropout layer that masks anything: the fraction of units its multiplier set to 0. */
  public List<Operand<TFloat32>> dropFractions() {
    return List.copyOf(dropFractions);
  }

  /**
   * What one batch's masks did to each unit of a dropout layer whose masks need scores or training
   * state: the rows of its multiplier, per unit how many dropped it and the sum of its multipliers.
   *
   * @param layer the dropout layer's index in the spec
   */
  public record UnitStatistics(
      int layer, Operand<TFloat32> rows, Operand<TFloat32> dropped, Operand<TFloat32> kept) {
    static UnitStatistics of(Ops tf, int layer, Operand<TFloat32> multiplier) {
      Operand<TInt32> batchAxis = tf.constant(0);
      Operand<TFloat32> rows =
          tf.dtypes.cast(tf.gather(tf.shape(multiplier), batchAxis, batchAxis), TFloat32.class);
      Operand<TFloat32> isDropped =
          tf.dtypes.cast(tf.math.equal(multiplier, tf.constant(0f)), TFloat32.class);
      return new UnitStatistics(
          layer, rows, tf.reduceSum(isDropped, batchAxis), tf.reduceSum(multiplier, batchAxis));
    }
  }

  /**
   * Per dropout layer whose masks need importance scores or training state (not a schedule, and
   * {@code [rows, units]}): what a batch's masks did to each unit, for {@code frozen} Monte Carlo
   * dropout.
   */
  public List<UnitStatistics> unitStatistics() {
    return List.copyOf(unitStatistics);
  }

  /** Each dropout layer's learned drop rate (a scalar), by its index in the spec. */
  public Map<Integer, Operand<TFloat32>> learnedRates() {
    return learning.rates();
  }

  /** The logits, with dropout when {@link #training()} is fed true. */
  public Operand<TFloat32> logits() {
    return logits;
  }

  /** Summed cross-entropy, for exact averages over batches of unequal size. */
  public Operand<TFloat32> lossSum() {
    return lossSum;
  }

  /** Number of examples whose arg-max logit is the label. */
  public Operand<TFloat32> correct() {
    return correct;
  }

  /** What one training step runs: the optimiser's update and the ops that must run beside it. */
  public List<Op> stepTargets() {
    return List.copyOf(stepTargets);
  }

  /** One scalar: whether every variable of the model holds finite numbers only. */
  public Operand<TBool> weightsFinite() {
    return weightsFinite;
  }
}
