package dev.dropwise.dropout;

import dev.dropwise.ops.DropoutOps;
import org.tensorflow.Operand;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/** The baseline: the layer's output passes unchanged. */
public record NoDropout() implements DropoutSpec {
  @Override
  public String text() {
    return "none";
  }

  @Override
  public Operand<TFloat32> apply(
      DropoutOps ops, Operand<TFloat32> x, Operand<TBool> training, Operand<TInt64> seed) {
    return x;
  }
}
