package dev.dropwise.dropout;

import dev.dropwise.ops.DropoutOps;
import dev.dropwise.ops.SectorLayout;
import dev.dropwise.ops.SectorWiseRules;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * Sector-wise dropout (seed 000): sectors of n units, exactly round(p*n) dropped in each.
 *
 * @param perBatch one mask shared by the batch instead of one per example (the default)
 */
public record SectorWiseDropout(int n, double p, boolean perBatch) implements DropoutSpec {

  /** Masks from the seed alone: Monte Carlo dropout can run it in an exported model. */
  @Override
  public boolean monteCarloAtServing() {
    return true;
  }

  /** Refuses a sector size below 2 or a rate whose round(p·n) is not in [1, n-1]. */
  public SectorWiseDropout {
    SectorWiseRules.check(n, p);
  }

  /** A mask per example. */
  public SectorWiseDropout(int n, double p) {
    this(n, p, false);
  }

  @Override
  public String name() {
    return "sector";
  }

  @Override
  public Map<String, Object> settings() {
    return Map.of("n", n, "p", p, "mode", perBatch ? "batch" : "example");
  }

  @Override
  public void checkWidth(int width) {
    new SectorLayout(width, n, p);
  }

  @Override
  public Masked apply(DropoutContext ctx, Operand<TFloat32> x) {
    int width = (int) x.shape().get(x.shape().numDimensions() - 1);
    DropoutOps ops = ctx.ops();
    Operand<TFloat32> multiplier =
        ops.sectorWiseMultiplier(
            x, new SectorLayout(width, n, p), perBatch, ctx.training(), ctx.seed());
    return new Masked(ops.apply(x, multiplier), multiplier);
  }
}
