package dev.dropwise.dropout;

import dev.dropwise.importance.Target;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * An importance-guided layer sampled {@code live} in an export's Monte Carlo passes (issue 28):
 * which units are dropped is drawn by the method itself from the importance of the inputs being
 * predicted (its scores computed in the serving graph on the clean network, as its {@code
 * timing=current} path does in training; a score training would have read from the previous batch
 * is read from this one), and each kept unit is scaled by its mean scale when kept in training, as
 * {@link FrozenDropout} keeps it — the method's own scale may rest on training state (Y-Drop's
 * moving average) that serving does not carry. Flat layers only; made from a frozen layer, never
 * written in a spec.
 *
 * @param frozen the layer as training left it: the method, and each unit's scale
 */
public record LiveDropout(FrozenDropout frozen) implements DropoutSpec {

  /**
   * Whether {@code method}, frozen at the end of training, can be sampled live: it is steered by an
   * importance measure that needs no labels.
   */
  public static boolean canSample(DropoutSpec method) {
    return method instanceof ImportanceGuided guided
        && !guided.importance().settings().containsValue(Target.LABEL);
  }

  /** Refuses a frozen layer whose method cannot be sampled live. */
  public LiveDropout {
    if (!canSample(frozen.original())) {
      throw new IllegalArgumentException(
          frozen.original().text()
              + " cannot be sampled live: it needs an importance-guided method whose measure's"
              + " target is the predicted class (serving has no labels)");
    }
  }

  @Override
  public String name() {
    return "live";
  }

  @Override
  public Map<String, Object> settings() {
    return Map.of("of", frozen.original().text());
  }

  @Override
  public String text() {
    return "live(" + frozen.original().text() + ")";
  }

  @Override
  public boolean monteCarloAtServing() {
    return true;
  }

  @Override
  public Masked apply(DropoutContext ctx, Operand<TFloat32> x) {
    Ops tf = ctx.tf();
    Operand<TFloat32> drawn = frozen.original().apply(ctx, x).multiplier();
    Operand<TFloat32> kept =
        tf.dtypes.cast(tf.math.notEqual(drawn, tf.constant(0f)), TFloat32.class);
    Operand<TFloat32> multiplier = tf.math.mul(kept, tf.constant(frozen.scales()));
    return new Masked(ctx.ops().apply(x, multiplier), multiplier);
  }
}
