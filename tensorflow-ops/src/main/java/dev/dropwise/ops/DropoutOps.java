package dev.dropwise.ops;

import dev.dropwise.util.Seeds;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * Dropout as graph ops, in the manner of TF Java's {@link Ops}: {@code DropoutOps.create(tf)},
 * then one method per method, each building a named sub-graph and returning an {@link Operand}.
 *
 * <p>Every op follows the same rules:
 *
 * <ul>
 *   <li>Masks come from stateless random ops keyed by a {@code [2]} int64 seed (see {@link
 *       #seed}), so a (run seed, layer, step) triple always gives the same mask — the basis of
 *       reproducible runs and exact resume.
 *   <li>The mask and its scale sit behind {@code stopGradient}: gradients flow through the kept
 *       units only, and no mask op (TopK, random) is ever differentiated.
 *   <li>With {@code training} false the multiplier is exactly 1, so the output equals the input
 *       bit for bit. The serving graph is built without these ops at all.
 * </ul>
 */
public final class DropoutOps {
  private final Ops tf;

  private DropoutOps(Ops tf) {
    this.tf = tf;
  }

  public static DropoutOps create(Ops tf) {
    return new DropoutOps(tf);
  }

  /**
   * A mask seed for one layer at one step: {@code [mix(runSeed, layer), step]}. Layers get
   * independent streams; steps move each stream on.
   */
  public Operand<TInt64> seed(long runSeed, int layer, Operand<TInt64> step) {
    Ops s = tf.withSubScope("mask_seed");
    Operand<TInt64> one = s.constant(new long[] {1});
    return s.concat(
        List.of(s.constant(new long[] {Seeds.mix(runSeed, layer)}), s.reshape(step, one)), s.constant(0));
  }

  /**
   * Standard (inverted) dropout: each unit of each example is dropped with probability {@code
   * rate}, kept ones are scaled by {@code 1 / (1 - rate)} so the expected activation is unchanged.
   *
   * @param rate scalar drop probability in [0, 1); an operand so a schedule can feed it per step
   */
  public Operand<TFloat32> standard(
      Operand<TFloat32> x, Operand<TFloat32> rate, Operand<TBool> training, Operand<TInt64> seed) {
    Ops s = tf.withSubScope("standard_dropout");
    Operand<TFloat32> u = s.random.statelessRandomUniform(s.shape(x), seed, TFloat32.class);
    Operand<TFloat32> keep = s.dtypes.cast(s.math.greaterEqual(u, rate), TFloat32.class);
    Operand<TFloat32> scale = s.math.div(s.constant(1f), s.math.sub(s.constant(1f), rate));
    return applyMask(s, x, keep, scale, training);
  }

  /** {@link #standard(Operand, Operand, Operand, Operand)} with a fixed rate, checked here. */
  public Operand<TFloat32> standard(
      Operand<TFloat32> x, float rate, Operand<TBool> training, Operand<TInt64> seed) {
    StandardDropoutRate.check("p", rate);
    return standard(x, tf.constant(rate), training, seed);
  }

  /**
   * Sector-wise dropout (seed 000): exactly {@code layout.m()} units dropped at random in every
   * sector of every example ({@code perBatch} false) or one such mask shared by the whole batch
   * ({@code perBatch} true). See {@link SectorLayout} for the partial last sector.
   */
  public Operand<TFloat32> sectorWise(
      Operand<TFloat32> x, SectorLayout layout, boolean perBatch, Operand<TBool> training,
      Operand<TInt64> seed) {
    long width = x.shape().size(x.shape().numDimensions() - 1);
    if (width != layout.width()) {
      throw new IllegalArgumentException(
          "sector layout is for " + layout.width() + " units but the input has " + width);
    }
    Ops s = tf.withSubScope("sector_dropout");
    int n = layout.n();
    int sectors = layout.fullSectors() + (layout.lastWidth() > 0 ? 1 : 0);
    Operand<TInt32> rows =
        perBatch ? s.constant(new int[] {1}) : s.slice(s.shape(x), s.constant(new int[] {0}), s.constant(new int[] {1}));
    // One uniform per unit slot, [rows, sectors, n]; a sector drops the units of its m largest.
    Operand<TFloat32> u = s.random.statelessRandomUniform(
        s.concat(List.of(rows, s.constant(new int[] {sectors, n})), s.constant(0)),
        seed, TFloat32.class);
    Operand<TFloat32> full = s.slice(u, s.constant(new int[] {0, 0, 0}),
        s.constant(new int[] {-1, layout.fullSectors(), n}));
    Operand<TFloat32> drop = s.reshape(pickLargest(s, full, layout.m(), n),
        s.constant(new int[] {-1, layout.fullSectors() * n}));
    if (layout.lastWidth() > 0) {
      int r = layout.lastWidth();
      Operand<TFloat32> last = s.reshape(
          s.slice(u, s.constant(new int[] {0, layout.fullSectors(), 0}), s.constant(new int[] {-1, 1, r})),
          s.constant(new int[] {-1, r}));
      Operand<TFloat32> lastDrop =
          layout.lastM() == 0 ? s.zerosLike(last) : pickLargest(s, last, layout.lastM(), r);
      drop = s.concat(List.of(drop, lastDrop), s.constant(1));
    }
    Operand<TFloat32> keep = s.math.sub(s.constant(1f), drop);
    return applyMask(s, x, keep, s.constant(layout.keptScale()), training);
  }

  /**
   * One-hot rows marking, along the last axis of {@code u} (length {@code depth}), the {@code k}
   * positions holding the largest values. TopK returns k distinct indices, so exactly k ones per
   * row, ties or not.
   */
  private static Operand<TFloat32> pickLargest(Ops s, Operand<TFloat32> u, int k, int depth) {
    Operand<TInt32> indices = s.nn.topK(u, s.constant(k), TInt32.class).indices();
    Operand<TFloat32> oneHot =
        s.oneHot(indices, s.constant(depth), s.constant(1f), s.constant(0f));
    return s.reduceSum(oneHot, s.constant(-2));
  }

  /**
   * {@code x * stopGradient(keep' * scale')} where, when not training, keep' = 1 and scale' = 1
   * exactly (so x passes unchanged); when training they are {@code keep} and {@code scale}.
   */
  private static Operand<TFloat32> applyMask(
      Ops s, Operand<TFloat32> x, Operand<TFloat32> keep, Operand<TFloat32> scale,
      Operand<TBool> training) {
    Operand<TFloat32> on = s.dtypes.cast(training, TFloat32.class);
    Operand<TFloat32> off = s.math.sub(s.constant(1f), on);
    Operand<TFloat32> keepOrAll = s.math.maximum(keep, off);
    Operand<TFloat32> scaleOrOne = s.math.add(s.constant(1f), s.math.mul(on, s.math.sub(scale, s.constant(1f))));
    Operand<TFloat32> multiplier = s.stopGradient(s.math.mul(keepOrAll, scaleOrOne));
    return s.withName("output").math.mul(x, multiplier);
  }
}
