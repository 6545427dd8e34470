package dev.dropwise.dropout;

import java.util.Map;
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
  public String name() {
    return "none";
  }

  @Override
  public Map<String, Object> settings() {
    return Map.of();
  }

  @Override
  public Masked apply(DropoutContext ctx, Operand<TFloat32> x) {
    return new Masked(x, null);
  }
}
