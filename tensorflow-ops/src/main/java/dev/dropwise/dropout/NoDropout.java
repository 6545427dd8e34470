package dev.dropwise.dropout;

import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/** The baseline: the layer's output passes unchanged. */
public record NoDropout() implements DropoutSpec {
  @Override
  public String text() {
    return "none";
  }

  @Override
  public Masked apply(DropoutContext ctx, Operand<TFloat32> x) {
    return new Masked(x, null);
  }
}
