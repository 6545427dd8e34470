package dev.dropwise.importance;

import dev.dropwise.network.Network;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TString;
import org.tensorflow.types.family.TType;

/**
 * Importance scores of a model's hidden units, as the dropout methods ask for them (after a
 * convolution or pooling, one score per channel: {@link ImportanceOps#channelTotals}):
 *
 * <ul>
 *   <li>{@link #current}: per-example scores of (a subset of) this step's batch, from a clean
 *       forward pass with the weights before this step's update — what Y-Drop's phase 1 does;
 *   <li>{@link #stored}: batch-mean scores of the previous training step's batch with the weights
 *       <em>after</em> its update — what LRP-guided dropout's official code does; or the mean of
 *       those over the previous epoch's steps.
 * </ul>
 *
 * Each distinct (measure, subset) is computed once per step, for all layers.
 */
public final class ScoreSource {
  private final Ops tf;
  private final Network network;
  private final Operand<TFloat32> input;
  private final Operand<TInt32> labels;
  private final Operand<TInt64> epoch;
  private final boolean live;
  private final Map<String, List<Operand<TFloat32>>> current = new HashMap<>();
  private final Map<String, Kept> kept = new LinkedHashMap<>();
  private final List<Assignment<?>> storedUpdates = new ArrayList<>();
  private int storedCount;

  /**
   * Which rows of the batch a measure runs on: {@code max(1, rows / divisor)}, at most {@code
   * limit}.
   */
  public record Subset(int divisor, int limit) {
    /** The whole batch. */
    public static final Subset ALL = new Subset(1, Integer.MAX_VALUE);

    /** Refuses a divisor or limit below 1. */
    public Subset {
      if (divisor < 1 || limit < 1) {
        throw new IllegalArgumentException(
            "importance subset divisor=" + divisor + ", limit=" + limit + ": both must be >= 1");
      }
    }
  }

  /**
   * What a stored measure keeps between steps: the rows (and labels) of its subset of the last
   * training batch, the epoch that step was in, and whether a step has run. Rows and labels are
   * kept serialised, so that their variables have a fixed shape (a scalar) whatever the batch size,
   * as {@code Session.save} and {@code restore} need; {@code means} is the measure's batch mean per
   * layer on those rows with the weights as they are now, {@code updates} what a step leaves in the
   * variables.
   */
  private record Kept(
      Variable<TInt64> epoch,
      Variable<TBool> ran,
      List<Operand<TFloat32>> means,
      List<Assignment<?>> updates) {}

  /** A variable and the value a training step leaves in it. */
  private record Assignment<T extends TType>(Variable<T> variable, Operand<T> value) {
    Op assign(Ops scope) {
      return scope.assign(variable, value);
    }
  }

  /**
   * The scores of {@code network} on {@code input} (labels for a label target), built on demand in
   * {@code tf}'s graph.
   */
  public ScoreSource(
      Ops tf,
      Network network,
      Operand<TFloat32> input,
      Operand<TInt32> labels,
      Operand<TInt64> epoch) {
    this(tf, network, input, labels, epoch, false);
  }

  private ScoreSource(
      Ops tf,
      Network network,
      Operand<TFloat32> input,
      Operand<TInt32> labels,
      Operand<TInt64> epoch,
      boolean live) {
    this.tf = tf.withSubScope("importance");
    this.network = network;
    this.input = input;
    this.labels = labels;
    this.epoch = epoch;
    this.live = live;
  }

  /**
   * The scores of the inputs being predicted, for Monte Carlo passes that draw importance-guided
   * masks from them ({@code live}): {@link #current} as in training, and {@link #stored} the mean
   * of the same subset's rows (nothing kept between runs, no labels: a label target cannot run).
   */
  public static ScoreSource live(Ops tf, Network network, Operand<TFloat32> input) {
    return new ScoreSource(tf, network, input, null, tf.constant(0L), true);
  }

  /**
   * Per-example scores {@code [rows, units]} of hidden layer {@code hidden} (a {@link Network}
   * layer index) on this step's batch.
   */
  public Operand<TFloat32> current(ImportanceSpec spec, int hidden, Subset subset) {
    return current
        .computeIfAbsent(
            key(spec, subset), k -> scoresOn(tf, spec, rowsOf(tf, subset), labelsOf(tf, subset)))
        .get(hidden);
  }

  /**
   * Batch-mean scores {@code [units]} of the previous training step's batch (its subset) with the
   * weights after that step's update ({@code perEpoch} false), or the mean of those over the
   * previous epoch ({@code perEpoch} true); zeros until the first step (or epoch) has run.
   *
   * <p>The pass runs at the start of this step, on the rows the previous step kept: the weights
   * have not changed since that update, so the numbers are those of a pass right after it, but here
   * it can run beside this step's forward pass instead of after everything else.
   */
  public Operand<TFloat32> stored(
      ImportanceSpec spec, int hidden, Subset subset, boolean perEpoch) {
    if (live) {
      return tf.math.mean(current(spec, hidden, subset), tf.constant(0));
    }
    Kept kept = this.kept.computeIfAbsent(key(spec, subset), k -> keep(spec, subset));
    Operand<TFloat32> mean = kept.means().get(hidden);
    int units = network.units(hidden);
    String name = "stored_" + hidden + "_" + storedCount++;
    Variable<TFloat32> scores =
        tf.withName(name).variable(tf.zeros(tf.constant(new int[] {units}), TFloat32.class));
    if (!perEpoch) {
      Operand<TFloat32> next = tf.select(kept.ran(), mean, scores);
      storedUpdates.add(new Assignment<>(scores, next));
      return next;
    }
    // Per epoch: accumulate the epoch's means; when a new epoch starts, publish the previous
    // epoch's average and start a new sum.
    Variable<TFloat32> sum =
        tf.withName(name + "_sum")
            .variable(tf.zeros(tf.constant(new int[] {units}), TFloat32.class));
    Variable<TFloat32> count = tf.withName(name + "_count").variable(tf.constant(0f));
    Variable<TInt64> lastEpoch = tf.withName(name + "_epoch").variable(tf.constant(0L));
    Operand<TBool> newEpoch = tf.math.notEqual(kept.epoch(), lastEpoch);
    Operand<TFloat32> published = tf.select(newEpoch, tf.math.divNoNan(sum, count), scores);
    Operand<TFloat32> nextSum = tf.select(newEpoch, mean, tf.math.add(sum, mean));
    Operand<TFloat32> nextCount =
        tf.select(newEpoch, tf.constant(1f), tf.math.add(count, tf.constant(1f)));
    // The pass must read the weights before this step's update changes them. Per step the dropout
    // reads the pass's own scores and so waits for it; the published ones are made to wait here.
    Operand<TFloat32> next =
        tf.withControlDependencies(List.of(mean)).select(kept.ran(), published, scores);
    storedUpdates.addAll(
        List.of(
            new Assignment<>(scores, next),
            new Assignment<>(sum, tf.select(kept.ran(), nextSum, sum)),
            new Assignment<>(count, tf.select(kept.ran(), nextCount, count)),
            new Assignment<>(lastEpoch, tf.select(kept.ran(), kept.epoch(), lastEpoch))));
    return next;
  }

  /**
   * The variables a stored measure keeps its rows in, its pass on them, and what a step keeps
   * there.
   */
  private Kept keep(ImportanceSpec spec, Subset subset) {
    String name = "kept_" + kept.size();
    int features = network.input().size();
    Variable<TString> rows =
        tf.withName(name + "_rows")
            .variable(
                tf.io.serializeTensor(
                    tf.zeros(tf.constant(new int[] {1, features}), TFloat32.class)));
    Variable<TString> keptLabels =
        tf.withName(name + "_labels")
            .variable(tf.io.serializeTensor(tf.zeros(tf.constant(new int[] {1}), TInt32.class)));
    Variable<TInt64> keptEpoch = tf.withName(name + "_epoch").variable(tf.constant(0L));
    Variable<TBool> ran = tf.withName(name + "_ran").variable(tf.constant(false));
    Operand<TFloat32> x =
        tf.reshape(tf.io.parseTensor(rows, TFloat32.class), tf.constant(new int[] {-1, features}));
    Operand<TInt32> y =
        labels == null
            ? null
            : tf.reshape(tf.io.parseTensor(keptLabels, TInt32.class), tf.constant(new int[] {-1}));
    List<Operand<TFloat32>> means =
        scoresOn(tf, spec, x, y).stream()
            .<Operand<TFloat32>>map(perExample -> tf.math.mean(perExample, tf.constant(0)))
            .toList();
    List<Assignment<?>> updates =
        new ArrayList<>(
            List.of(
                new Assignment<>(rows, tf.io.serializeTensor(rowsOf(tf, subset))),
                new Assignment<>(keptEpoch, epoch),
                new Assignment<>(ran, tf.constant(true))));
    if (labels != null) {
      updates.add(new Assignment<>(keptLabels, tf.io.serializeTensor(labelsOf(tf, subset))));
    }
    return new Kept(keptEpoch, ran, means, updates);
  }

  /**
   * The ops that end a training step for the stored scores (each runs after {@code trainOp}): the
   * values this step computed assigned to their variables, and this batch's rows kept for the next
   * step's pass.
   */
  public List<Op> buildUpdates(Op trainOp) {
    List<Op> updates = new ArrayList<>();
    if (storedUpdates.isEmpty()) {
      return updates;
    }
    // Every new value is computed before any variable is written: they read each other's variables.
    List<Op> before = new ArrayList<>(List.of(trainOp));
    storedUpdates.forEach(u -> before.add(u.value()));
    Ops after = tf.withSubScope("after_update").withControlDependencies(before);
    storedUpdates.forEach(u -> updates.add(u.assign(after)));
    // A value read from a variable can share its buffer (a Select passes its input through), so the
    // kept variables are overwritten only once every value read from them has been written.
    Ops last = after.withControlDependencies(List.copyOf(updates));
    kept.values().forEach(k -> k.updates().forEach(u -> updates.add(u.assign(last))));
    return updates;
  }

  /** What a measure on a subset is cached under: computed once per step, for all layers. */
  private static String key(ImportanceSpec spec, Subset subset) {
    return spec.text() + "@" + subset;
  }

  /**
   * How many rows of the batch a subset takes: {@code max(1, rows / divisor)}, at most {@code
   * limit}, as a [1] shape.
   */
  private Operand<TInt32> rowCount(Ops scope, Subset subset) {
    Operand<TInt32> batch =
        scope.slice(
            scope.shape(input), scope.constant(new int[] {0}), scope.constant(new int[] {1}));
    return scope.math.minimum(
        scope.math.maximum(
            scope.math.floorDiv(batch, scope.constant(new int[] {subset.divisor()})),
            scope.constant(new int[] {1})),
        scope.constant(new int[] {subset.limit()}));
  }

  /** The subset's rows of this step's batch, {@code [rows, features]}. */
  private Operand<TFloat32> rowsOf(Ops scope, Subset subset) {
    // The reshape restores the static feature width that a slice of dynamic size loses.
    return scope.reshape(
        scope.slice(
            input,
            scope.constant(new int[] {0, 0}),
            scope.concat(
                List.of(rowCount(scope, subset), scope.constant(new int[] {-1})),
                scope.constant(0))),
        scope.constant(new int[] {-1, network.input().size()}));
  }

  /** The labels of {@link #rowsOf}, or null where this source has none. */
  private Operand<TInt32> labelsOf(Ops scope, Subset subset) {
    return labels == null
        ? null
        : scope.slice(labels, scope.constant(new int[] {0}), rowCount(scope, subset));
  }

  private List<Operand<TFloat32>> scoresOn(
      Ops scope, ImportanceSpec spec, Operand<TFloat32> x, Operand<TInt32> y) {
    ImportanceOps ops = ImportanceOps.create(scope);
    return spec.scores(scope, network, x, y).stream().map(ops::channelTotals).toList();
  }
}
