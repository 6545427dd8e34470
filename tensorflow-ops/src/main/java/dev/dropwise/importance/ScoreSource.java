package dev.dropwise.importance;

import dev.dropwise.network.Network;
import java.util.ArrayList;
import java.util.HashMap;
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

/**
 * Importance scores of a model's hidden units, as the dropout methods ask for them (after a
 * convolution or pooling, one score per channel: {@link ImportanceOps#channelTotals}):
 *
 * <ul>
 *   <li>{@link #current}: per-example scores of (a subset of) this step's batch, from a clean
 *       forward pass with the weights before this step's update — what Y-Drop's phase 1 does;
 *   <li>{@link #stored}: batch-mean scores that the previous training step computed <em>after</em>
 *       its update and kept in a variable — what LRP-guided dropout's official code does; or
 *       the mean over the previous epoch's steps.
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
  private final Map<String, List<Operand<TFloat32>>> current = new HashMap<>();
  private final List<Stored> stored = new ArrayList<>();

  /** Which rows of the batch a measure runs on: {@code max(1, rows / divisor)}, at most {@code limit}. */
  public record Subset(int divisor, int limit) {
    public static final Subset ALL = new Subset(1, Integer.MAX_VALUE);

    public Subset {
      if (divisor < 1 || limit < 1) {
        throw new IllegalArgumentException("importance subset divisor=" + divisor + ", limit=" + limit + ": both must be >= 1");
      }
    }
  }

  private record Stored(ImportanceSpec spec, Subset subset, int hidden, boolean perEpoch,
      Variable<TFloat32> scores, Variable<TFloat32> sum, Variable<TFloat32> count, Variable<TInt64> lastEpoch) {}

  public ScoreSource(Ops tf, Network network, Operand<TFloat32> input, Operand<TInt32> labels, Operand<TInt64> epoch) {
    this.tf = tf.withSubScope("importance");
    this.network = network;
    this.input = input;
    this.labels = labels;
    this.epoch = epoch;
  }

  /** Per-example scores {@code [rows, units]} of hidden layer {@code hidden} (a {@link Network} layer index) on this step's batch. */
  public Operand<TFloat32> current(ImportanceSpec spec, int hidden, Subset subset) {
    String key = spec.text() + "@" + subset;
    return current.computeIfAbsent(key, k -> scoresOn(tf, spec, subset)).get(hidden);
  }

  /**
   * Batch-mean scores {@code [units]} computed by the previous training step after its update
   * ({@code perEpoch} false), or the mean of those over the previous epoch ({@code perEpoch} true).
   * Zeros until the first step (or epoch) has run.
   */
  public Operand<TFloat32> stored(ImportanceSpec spec, int hidden, Subset subset, boolean perEpoch) {
    int units = network.units(hidden);
    String name = "stored_" + hidden + "_" + stored.size();
    Operand<TFloat32> zeros = tf.zeros(tf.constant(new int[] {units}), TFloat32.class);
    Stored s = new Stored(spec, subset, hidden, perEpoch,
        tf.withName(name).variable(zeros),
        tf.withName(name + "_sum").variable(tf.zeros(tf.constant(new int[] {units}), TFloat32.class)),
        tf.withName(name + "_count").variable(tf.constant(0f)),
        tf.withName(name + "_epoch").variable(tf.constant(0L)));
    stored.add(s);
    return s.scores();
  }

  /**
   * The ops that refresh the stored scores: a clean pass with the updated weights (every op
   * depends on {@code trainOp}), its batch mean assigned to the variables. Run with each training step.
   */
  public List<Op> buildUpdates(Op trainOp) {
    List<Op> updates = new ArrayList<>();
    if (stored.isEmpty()) {
      return updates;
    }
    Ops after = tf.withSubScope("after_update").withControlDependencies(List.of(trainOp));
    Map<String, List<Operand<TFloat32>>> computed = new HashMap<>();
    for (Stored s : stored) {
      List<Operand<TFloat32>> perLayer = computed.computeIfAbsent(
          s.spec().text() + "@" + s.subset(), k -> scoresOn(after, s.spec(), s.subset()));
      Operand<TFloat32> mean = after.math.mean(perLayer.get(s.hidden()), after.constant(0));
      if (!s.perEpoch()) {
        updates.add(after.assign(s.scores(), mean));
        continue;
      }
      // Per epoch: accumulate this epoch's means; when a new epoch starts, publish the previous
      // epoch's average and start a new sum.
      Operand<TBool> newEpoch = after.math.notEqual(epoch, s.lastEpoch());
      Operand<TFloat32> published = after.select(newEpoch,
          after.math.divNoNan(s.sum(), s.count()), s.scores());
      Operand<TFloat32> sum = after.select(newEpoch, mean, after.math.add(s.sum(), mean));
      Operand<TFloat32> count = after.select(newEpoch, after.constant(1f), after.math.add(s.count(), after.constant(1f)));
      Ops ordered = after.withControlDependencies(List.of(
          after.assign(s.scores(), published)));
      updates.add(ordered.assign(s.sum(), sum));
      updates.add(ordered.assign(s.count(), count));
      updates.add(ordered.assign(s.lastEpoch(), epoch));
    }
    return updates;
  }

  private List<Operand<TFloat32>> scoresOn(Ops scope, ImportanceSpec spec, Subset subset) {
    Operand<TInt32> batch = scope.slice(scope.shape(input), scope.constant(new int[] {0}), scope.constant(new int[] {1}));
    Operand<TInt32> rows = scope.math.minimum(
        scope.math.maximum(scope.math.floorDiv(batch, scope.constant(new int[] {subset.divisor()})), scope.constant(new int[] {1})),
        scope.constant(new int[] {subset.limit()}));
    // The reshape restores the static feature width that a slice of dynamic size loses.
    Operand<TFloat32> x = scope.reshape(scope.slice(input, scope.constant(new int[] {0, 0}),
        scope.concat(List.of(rows, scope.constant(new int[] {-1})), scope.constant(0))),
        scope.constant(new int[] {-1, network.input().size()}));
    Operand<TInt32> y = labels == null ? null : scope.slice(labels, scope.constant(new int[] {0}), rows);
    ImportanceOps ops = ImportanceOps.create(scope);
    return spec.scores(scope, network, x, y).stream().map(ops::channelTotals).toList();
  }
}
