package dev.dropwise.dropout;

import dev.dropwise.ops.DropoutOps;
import org.tensorflow.Operand;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * A dropout method with its parameters, checked when it is made. It knows how to put itself into
 * a graph after a layer of a given width, and how to write itself back as the text {@link
 * DropoutSpecParser} reads.
 */
public sealed interface DropoutSpec permits NoDropout, StandardDropout, SectorWiseDropout {

  /** The canonical text of this spec, e.g. {@code sector:n=8,p=0.5}; parses back to an equal spec. */
  String text();

  /** Refuses a layer this method cannot be applied to, before anything is built. */
  default void checkWidth(int width) {}

  /** Builds the op after {@code x}, whose last dimension is the layer's width. */
  Operand<TFloat32> apply(
      DropoutOps ops, Operand<TFloat32> x, Operand<TBool> training, Operand<TInt64> seed);

  /** Parses {@code method[:key=value,...]}; see {@link DropoutSpecParser}. */
  static DropoutSpec parse(String text) {
    return DropoutSpecParser.parse(text);
  }
}
