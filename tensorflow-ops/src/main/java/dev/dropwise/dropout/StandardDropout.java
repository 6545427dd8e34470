package dev.dropwise.dropout;

import dev.dropwise.ops.DropoutOps;
import dev.dropwise.ops.StandardDropoutRate;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/** Bernoulli dropout with inverted scaling 1/(1-p), a fresh mask per example. */
public record StandardDropout(double p) implements DropoutSpec {

  /** Masks from the seed alone: Monte Carlo dropout can run it in an exported model. */
  @Override
  public boolean monteCarloAtServing() {
    return true;
  }

  public StandardDropout {
    StandardDropoutRate.check("p", p);
  }

  /** Every value of a feature map is a unit, as after a convolution in Keras. */
  @Override
  public UnitView featureMapUnits() {
    return UnitView.ELEMENTS;
  }

  @Override
  public String name() {
    return "standard";
  }

  @Override
  public Map<String, Object> settings() {
    return Map.of("p", p);
  }

  @Override
  public Masked apply(DropoutContext ctx, Operand<TFloat32> x) {
    DropoutOps ops = ctx.ops();
    Operand<TFloat32> multiplier =
        ops.standardMultiplier(x, ctx.tf().constant((float) p), ctx.training(), ctx.seed());
    return new Masked(ops.apply(x, multiplier), multiplier);
  }
}
