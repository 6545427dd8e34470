package dev.dropwise.dropout;

import dev.dropwise.ops.DropoutOps;
import dev.dropwise.ops.StandardDropoutRate;
import org.tensorflow.Operand;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/** Bernoulli dropout with inverted scaling 1/(1-p), a fresh mask per example. */
public record StandardDropout(double p) implements DropoutSpec {
  public StandardDropout {
    StandardDropoutRate.check("p", p);
  }

  @Override
  public String text() {
    return "standard:p=" + p;
  }

  @Override
  public Operand<TFloat32> apply(
      DropoutOps ops, Operand<TFloat32> x, Operand<TBool> training, Operand<TInt64> seed) {
    return ops.standard(x, (float) p, training, seed);
  }
}
