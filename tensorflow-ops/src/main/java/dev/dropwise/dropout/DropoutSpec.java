package dev.dropwise.dropout;

import dev.dropwise.policy.Masks;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * A dropout method with its parameters, checked when it is made. It knows how to put itself into
 * a graph after a layer of a given width, and how to write itself back as the text {@link
 * DropoutSpecParser} reads.
 */
public sealed interface DropoutSpec
    permits NoDropout, StandardDropout, SectorWiseDropout, LrpGuidedDropout, YDrop, PfidDropout, ScheduledDropout, AlphaDropout, DropConnect {

  /** The canonical text of this spec, e.g. {@code sector:n=8,p=0.5}; parses back to an equal spec. */
  String text();

  /** Refuses a layer this method cannot be applied to, before anything is built. */
  default void checkWidth(int width) {}

  /** Builds the op after {@code x}, whose last dimension is the layer's width. */
  Masked apply(DropoutContext ctx, Operand<TFloat32> x);

  /**
   * {@code x} with {@code drop} (1 = dropped; broadcastable to x) applied and kept units scaled
   * by {@code scale} (broadcastable); with training off the multiplier is exactly 1.
   */
  static Masked gate(DropoutContext ctx, Operand<TFloat32> x, Operand<TFloat32> drop, Operand<TFloat32> scale) {
    Operand<TFloat32> multiplier = Masks.multiplier(ctx.tf(), drop, scale, ctx.trainingFloat());
    return new Masked(ctx.ops().apply(x, multiplier), multiplier);
  }

  /** Parses {@code method[:key=value,...]}; see {@link DropoutSpecParser}. */
  static DropoutSpec parse(String text) {
    return DropoutSpecParser.parse(text);
  }
}
