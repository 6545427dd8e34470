package dev.dropwise.dropout;

import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/** The baseline: the layer's output passes unchanged. */
public record NoDropout() implements DropoutSpec {

  /** Nothing to draw: never stands in the way of Monte Carlo dropout in other layers. */
  @Override
  public boolean monteCarloAtServing() {
    return true;
  }

  @Override
  public String text() {
    return "none";
  }

  @Override
  public Masked apply(DropoutContext ctx, Operand<TFloat32> x) {
    return new Masked(x, null);
  }
}
