package dev.dropwise.dropout;

import dev.dropwise.network.FeatureShape;
import dev.dropwise.ops.Masks;
import dev.dropwise.schedule.RateSchedule;
import java.util.Map;
import java.util.Optional;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * A dropout method with its parameters, checked when it is made. It knows how to put itself into a
 * graph after a layer of a given width, and which settings it has, from which its text is written.
 *
 * <p>To add a method of your own: a record that implements {@link #name} (the name its {@link
 * DropoutMethod} registers), {@link #settings} (its values by that method's parameter names) and
 * {@link #apply} (the op, usually through {@link #gate}); override the capabilities that differ
 * from the defaults ({@link #monteCarloAtServing}, {@link #featureMapUnits}, {@link
 * #masksNextKernel}, {@link #multipliesUnits}, {@link #checkWidth}). Then a {@link DropoutMethod}
 * makes it from its text. {@code examples/}'s targeted dropout is a complete one.
 *
 * <p>Two specs are the same method when they are equal (records compare their parameters): run
 * names, checkpoint fingerprints and comparisons rely on it, and on {@link #text()} telling
 * different specs apart.
 */
public interface DropoutSpec {

  /** The name of the registered method that makes this spec, e.g. {@code sector}. */
  String name();

  /**
   * This spec's settings by the names its method's parameters have ({@link
   * dev.dropwise.util.Registry.Entry#parameters}): numbers, enum constants or text. The canonical
   * text is written from them; a setting left out is taken to be at its default.
   */
  Map<String, Object> settings();

  /**
   * The canonical text of this spec, e.g. {@code sector:n=8,p=0.5}: its method's name, then the
   * settings that differ from the defaults (and the drop rate), in the parameter order; parses back
   * to an equal spec. Written by {@link DropoutMethods#text} from {@link #name} and {@link
   * #settings}.
   */
  default String text() {
    return DropoutMethods.text(this);
  }

  /**
   * Whether an exported model can run this method in its {@code mc_dropout} signature: the masks
   * must come from a seed alone (no importance scores, no training state, no schedule). Off unless
   * a method says so.
   */
  default boolean monteCarloAtServing() {
    return false;
  }

  /**
   * The schedule that sets this method's rate for every epoch, if any: the trainer computes its
   * rate and feeds it with each step, and the method reads it from {@link DropoutContext#rate}.
   * None unless a method says so.
   */
  default Optional<RateSchedule> rateSchedule() {
    return Optional.empty();
  }

  /**
   * Whether this method masks the weights of the Dense layer that follows it ({@link
   * #maskNextKernel}) rather than the units before it; such a method must be followed by a Dense
   * layer.
   */
  default boolean masksNextKernel() {
    return false;
  }

  /**
   * The kernel the Dense layer after this method uses: {@code kernel} as it is, unless the method
   * {@link #masksNextKernel masks it} (DropConnect). {@code ctx} is the one {@link #applyTo} was
   * given.
   */
  default Operand<TFloat32> maskNextKernel(DropoutContext ctx, Operand<TFloat32> kernel) {
    return kernel;
  }

  /**
   * Whether this method's output is its input times its {@link Masked#multiplier} and nothing else:
   * what a recurrent layer needs to draw a mask once and keep it over a sequence's steps. A method
   * that says so and also {@link #monteCarloAtServing samples at serving} must draw that multiplier
   * from the input's shape and the seed alone, never from its values: shared Monte Carlo masks
   * apply the multiplier drawn for a batch's first row to every row. Off unless a method says so.
   */
  default boolean multipliesUnits() {
    return false;
  }

  /** Refuses a layer width this method cannot be applied to, before anything is built. */
  default void checkWidth(int width) {}

  /** What this method treats as a unit on a feature map; see {@link UnitView}. */
  default UnitView featureMapUnits() {
    return UnitView.CHANNELS;
  }

  /**
   * Refuses an input this method cannot be applied to: by default, checks the width of its unit
   * view.
   */
  default void checkInput(FeatureShape shape) {
    checkWidth(featureMapUnits().width(shape));
  }

  /**
   * Builds the op after {@code x}, a flat layer or a feature map, through this method's {@link
   * UnitView}.
   */
  default Masked applyTo(DropoutContext ctx, Operand<TFloat32> x) {
    return UnitView.apply(featureMapUnits(), this, ctx, x);
  }

  /**
   * Builds the op after {@code x}, a flat {@code [N, width]} layer (or a map, for a {@link
   * UnitView#MAP} method).
   */
  Masked apply(DropoutContext ctx, Operand<TFloat32> x);

  /**
   * {@code x} with {@code drop} (1 = dropped; broadcastable to x) applied and kept units scaled by
   * {@code scale} (broadcastable); with training off the multiplier is exactly 1.
   */
  static Masked gate(
      DropoutContext ctx, Operand<TFloat32> x, Operand<TFloat32> drop, Operand<TFloat32> scale) {
    Operand<TFloat32> multiplier = Masks.multiplier(ctx.tf(), drop, scale, ctx.trainingFloat());
    return new Masked(ctx.ops().apply(x, multiplier), multiplier);
  }

  /**
   * Parses {@code method[:key=value,...]} with the registered methods; see {@link DropoutMethods}.
   */
  static DropoutSpec parse(String text) {
    return DropoutMethods.parse(text);
  }
}
