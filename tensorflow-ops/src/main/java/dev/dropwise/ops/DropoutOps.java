package dev.dropwise.ops;

import dev.dropwise.util.Seeds;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TUint16;

/**
 * Dropout as graph ops, in the manner of TF Java's {@link Ops}: {@code DropoutOps.create(tf)}, then
 * one method per method, each building a named sub-graph and returning an {@link Operand}.
 *
 * <p>Every op follows the same rules:
 *
 * <ul>
 *   <li>Masks come from stateless random ops keyed by a {@code [2]} int64 seed (see {@link #seed}),
 *       so a (run seed, layer, step) triple always gives the same mask — the basis of reproducible
 *       runs and exact resume.
 *   <li>The mask and its scale sit behind {@code stopGradient}: gradients flow through the kept
 *       units only, and no mask op (TopK, random) is ever differentiated.
 *   <li>With {@code training} false the multiplier is exactly 1, so the output equals the input bit
 *       for bit. The serving graph is built without these ops at all.
 * </ul>
 */
public final class DropoutOps {
  private final Ops tf;

  private DropoutOps(Ops tf) {
    this.tf = tf;
  }

  /** The dropout ops, built into {@code tf}. */
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
        List.of(s.constant(new long[] {Seeds.mix(runSeed, layer)}), s.reshape(step, one)),
        s.constant(0));
  }

  /**
   * Standard (inverted) dropout: each unit of each example is dropped with probability {@code
   * rate}, kept ones are scaled by {@code 1 / (1 - rate)} so the expected activation is unchanged.
   *
   * <p>Each unit draws 16 random bits (one 32-bit Philox output serves two units, which halves the
   * cost of the random draw, the bulk of dropout's cost) and is dropped when they fall below {@code
   * k = round(rate * 65536)}. The rate actually applied is therefore {@code k / 65536} (within
   * 2^-17 of the asked rate; 0.5, 0.25, ... exactly) and the scale uses that same value, so {@code
   * E[mask * scale] = 1} holds exactly.
   *
   * @param rate scalar drop probability in [0, 1); an operand so a schedule can feed it per step
   */
  public Operand<TFloat32> standard(
      Operand<TFloat32> x, Operand<TFloat32> rate, Operand<TBool> training, Operand<TInt64> seed) {
    return apply(x, standardMultiplier(x, rate, training, seed));
  }

  /** {@code x * stopGradient(multiplier)}: a multiplier from one of the builders below, applied. */
  public Operand<TFloat32> apply(Operand<TFloat32> x, Operand<TFloat32> multiplier) {
    return tf.withName("dropout_output").math.mul(x, tf.stopGradient(multiplier));
  }

  /**
   * The multiplier of {@link #standard}: 0 for a dropped unit, the scale for a kept one, 1
   * everywhere when not training.
   */
  public Operand<TFloat32> standardMultiplier(
      Operand<TFloat32> x, Operand<TFloat32> rate, Operand<TBool> training, Operand<TInt64> seed) {
    Ops s = tf.withSubScope("standard_dropout");
    int width = (int) x.shape().get(x.shape().numDimensions() - 1);
    int pairs = (width + 1) / 2;
    // Gate on the scalar: not training means threshold 0, which keeps every unit at scale 1.
    Operand<TFloat32> effectiveRate = s.math.mul(rate, s.dtypes.cast(training, TFloat32.class));
    Operand<TFloat32> threshold =
        s.math.minimum(
            s.math.round(s.math.mul(effectiveRate, s.constant(65536f))), s.constant(65535f));
    Operand<TFloat32> scale =
        s.math.div(s.constant(65536f), s.math.sub(s.constant(65536f), threshold));
    Operand<TInt32> rows =
        s.slice(s.shape(x), s.constant(new int[] {0}), s.constant(new int[] {1}));
    Operand<TInt32> drawShape =
        s.concat(List.of(rows, s.constant(new int[] {pairs})), s.constant(0));
    Operand<TUint16> bits =
        s.reshape(
            s.bitcast(
                s.random.statelessRandomUniformFullInt(drawShape, seed, TInt32.class),
                TUint16.class),
            s.constant(new int[] {-1, 2 * pairs}));
    if (2 * pairs != width) {
      bits = s.slice(bits, s.constant(new int[] {0, 0}), s.constant(new int[] {-1, width}));
    }
    Operand<TFloat32> keep =
        s.dtypes.cast(
            s.math.greaterEqual(bits, s.dtypes.cast(threshold, TUint16.class)), TFloat32.class);
    return s.math.mul(keep, scale);
  }

  /**
   * Gaussian dropout's multiplier, {@code 1 + σ·ε} per value of {@code x} with ε a stateless
   * standard normal and {@code σ = sqrt(rate / (1 − rate))}: mean 1, variance {@code rate / (1 −
   * rate)}; exactly 1 everywhere when not training or at rate 0.
   *
   * @param rate scalar rate in [0, 1); an operand so a schedule can feed it per step
   */
  public Operand<TFloat32> gaussianMultiplier(
      Operand<TFloat32> x, Operand<TFloat32> rate, Operand<TBool> training, Operand<TInt64> seed) {
    Ops s = tf.withSubScope("gaussian_dropout");
    Operand<TFloat32> on = s.math.mul(rate, s.dtypes.cast(training, TFloat32.class));
    Operand<TFloat32> sigma = s.math.sqrt(s.math.div(on, s.math.sub(s.constant(1f), on)));
    Operand<TFloat32> noise = s.random.statelessRandomNormal(s.shape(x), seed, TFloat32.class);
    return s.math.add(s.constant(1f), s.math.mul(sigma, noise));
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
   *
   * <p>Where the number of possible sector masks is small (C(8, 4) = 70), each sector draws one
   * uniform integer and gathers its mask, scale included, from a constant table of all of them:
   * exact, uniform over the subsets, and cheaper than standard dropout's per-unit draws. Larger
   * sectors pick the m largest of n uniforms with TopK instead.
   */
  public Operand<TFloat32> sectorWise(
      Operand<TFloat32> x,
      SectorLayout layout,
      boolean perBatch,
      Operand<TBool> training,
      Operand<TInt64> seed) {
    return apply(x, sectorWiseMultiplier(x, layout, perBatch, training, seed));
  }

  /** The multiplier of {@link #sectorWise}, {@code [rows or 1, width]}. */
  public Operand<TFloat32> sectorWiseMultiplier(
      Operand<TFloat32> x,
      SectorLayout layout,
      boolean perBatch,
      Operand<TBool> training,
      Operand<TInt64> seed) {
    long width = x.shape().get(x.shape().numDimensions() - 1);
    if (width != layout.width()) {
      throw new IllegalArgumentException(
          "sector layout is for " + layout.width() + " units but the input has " + width);
    }
    Ops s = tf.withSubScope("sector_dropout");
    Operand<TInt32> rows =
        perBatch
            ? s.constant(new int[] {1})
            : s.slice(s.shape(x), s.constant(new int[] {0}), s.constant(new int[] {1}));
    return layout.usesPatternTables()
        ? patternMultiplier(s, layout, rows, training, seed)
        : topKMultiplier(s, layout, rows, training, seed);
  }

  /**
   * Sector-wise dropout at a rate fed with each step, as a schedule sets it: in every sector of
   * {@code n} units, the {@code m = round(rate * n)} (half-up, of the float32 rate, clamped to [0,
   * n - 1]) whose uniforms rank highest are dropped and the kept ones scaled by {@code n / (n -
   * m)}; the partial last sector of {@code r} units drops {@code round(rate * r)} clamped to [0, r
   * - 1], as {@link SectorLayout} does. A rate of 0 drops nothing: a schedule may start from no
   * dropout, where a fixed rate must drop at least one unit per sector. The masks have the
   * fixed-rate op's distribution, not its draws.
   *
   * @param rate scalar drop rate, fed every step
   */
  public Operand<TFloat32> sectorWiseMultiplier(
      Operand<TFloat32> x,
      int n,
      Operand<TFloat32> rate,
      boolean perBatch,
      Operand<TBool> training,
      Operand<TInt64> seed) {
    int width = (int) x.shape().get(x.shape().numDimensions() - 1);
    SectorWiseRules.checkSize(n);
    SectorWiseRules.checkFits(width, n);
    Ops s = tf.withSubScope("scheduled_sector_dropout");
    int sectors = (width + n - 1) / n;
    // Each sector's width, and which of its n slots hold a unit (the partial sector's do not all).
    float[] size = new float[sectors];
    float[][] slot = new float[sectors][n];
    for (int unit = 0; unit < sectors * n; unit++) {
      if (unit < width) {
        size[unit / n]++;
        slot[unit / n][unit % n] = 1;
      }
    }
    Operand<TFloat32> sizes = s.constant(size);
    Operand<TFloat32> m =
        s.math.maximum(
            s.constant(0f),
            s.math.minimum(
                s.math.floor(s.math.add(s.math.mul(rate, sizes), s.constant(0.5f))),
                s.math.sub(sizes, s.constant(1f))));
    Operand<TInt32> rows =
        perBatch
            ? s.constant(new int[] {1})
            : s.slice(s.shape(x), s.constant(new int[] {0}), s.constant(new int[] {1}));
    // A uniform per slot, -1 in an empty one so that it ranks below every unit of its sector.
    Operand<TFloat32> slots = s.constant(slot);
    Operand<TFloat32> u =
        s.math.sub(
            s.math.mul(
                s.random.statelessRandomUniform(
                    s.concat(List.of(rows, s.constant(new int[] {sectors, n})), s.constant(0)),
                    seed,
                    TFloat32.class),
                slots),
            s.math.sub(s.constant(1f), slots));
    // Each slot's rank in its sector (0 for the largest uniform): the inverse of TopK's order.
    Operand<TInt32> order = s.nn.topK(u, s.constant(n), TInt32.class).indices();
    Operand<TInt32> rank = s.nn.topK(s.math.neg(order), s.constant(n), TInt32.class).indices();
    Operand<TFloat32> drop =
        s.dtypes.cast(
            s.math.less(s.dtypes.cast(rank, TFloat32.class), s.expandDims(m, s.constant(1))),
            TFloat32.class);
    Operand<TFloat32> scale =
        s.broadcastTo(
            s.expandDims(s.math.div(sizes, s.math.sub(sizes, m)), s.constant(1)),
            s.constant(new int[] {sectors, n}));
    Operand<TInt32> flat = s.constant(new int[] {-1, sectors * n});
    Operand<TInt32> first = s.constant(new int[] {0, 0});
    Operand<TInt32> units = s.constant(new int[] {-1, width});
    return Masks.multiplier(
        s,
        s.slice(s.reshape(drop, flat), first, units),
        s.slice(s.reshape(scale, flat), first, units),
        s.dtypes.cast(training, TFloat32.class));
  }

  private static Operand<TFloat32> patternMultiplier(
      Ops s,
      SectorLayout layout,
      Operand<TInt32> rows,
      Operand<TBool> training,
      Operand<TInt64> seed) {
    Operand<TInt32> off = s.math.sub(s.constant(1), s.dtypes.cast(training, TInt32.class));
    Operand<TFloat32> full =
        gatherPatterns(s, rows, layout.fullSectors(), layout.n(), layout.m(), off, seed);
    if (layout.lastWidth() == 0) {
      return full;
    }
    // The partial sector draws from its own stream: the seed's key moved by a fixed odd constant.
    Operand<TInt64> lastSeed = s.math.add(seed, s.constant(new long[] {0x632BE59BD9B4E019L, 0}));
    Operand<TFloat32> last =
        gatherPatterns(s, rows, 1, layout.lastWidth(), layout.lastM(), off, lastSeed);
    return s.concat(List.of(full, last), s.constant(1));
  }

  /**
   * {@code [rows, sectors * width]} multipliers: per sector a uniform row of the pattern table, or
   * its last row (all ones) when {@code off} is 1.
   */
  private static Operand<TFloat32> gatherPatterns(
      Ops s,
      Operand<TInt32> rows,
      int sectors,
      int width,
      int drops,
      Operand<TInt32> off,
      Operand<TInt64> seed) {
    float[][] table = SectorLayout.patterns(width, drops);
    int count = table.length - 1;
    Operand<TInt32> shape = s.concat(List.of(rows, s.constant(new int[] {sectors})), s.constant(0));
    Operand<TInt32> drawn =
        s.random.statelessRandomUniformInt(shape, seed, s.constant(0), s.constant(count));
    Operand<TInt32> index =
        s.math.minimum(s.math.add(drawn, s.math.mul(off, s.constant(count))), s.constant(count));
    Operand<TFloat32> masks = s.gather(s.constant(table), index, s.constant(0));
    return s.reshape(masks, s.constant(new int[] {-1, sectors * width}));
  }

  private static Operand<TFloat32> topKMultiplier(
      Ops s,
      SectorLayout layout,
      Operand<TInt32> rows,
      Operand<TBool> training,
      Operand<TInt64> seed) {
    int n = layout.n();
    int sectors = layout.fullSectors() + (layout.lastWidth() > 0 ? 1 : 0);
    // One uniform per unit slot, [rows, sectors, n]; a sector drops the units of its m largest.
    Operand<TFloat32> u =
        s.random.statelessRandomUniform(
            s.concat(List.of(rows, s.constant(new int[] {sectors, n})), s.constant(0)),
            seed,
            TFloat32.class);
    Operand<TFloat32> full =
        s.slice(
            u,
            s.constant(new int[] {0, 0, 0}),
            s.constant(new int[] {-1, layout.fullSectors(), n}));
    Operand<TFloat32> drop =
        s.reshape(
            Masks.largest(s, full, layout.m(), n),
            s.constant(new int[] {-1, layout.fullSectors() * n}));
    if (layout.lastWidth() > 0) {
      int r = layout.lastWidth();
      Operand<TFloat32> last =
          s.reshape(
              s.slice(
                  u,
                  s.constant(new int[] {0, layout.fullSectors(), 0}),
                  s.constant(new int[] {-1, 1, r})),
              s.constant(new int[] {-1, r}));
      Operand<TFloat32> lastDrop =
          layout.lastM() == 0 ? s.zerosLike(last) : Masks.largest(s, last, layout.lastM(), r);
      drop = s.concat(List.of(drop, lastDrop), s.constant(1));
    }
    return Masks.multiplier(
        s, drop, s.constant(layout.keptScale()), s.dtypes.cast(training, TFloat32.class));
  }
}
