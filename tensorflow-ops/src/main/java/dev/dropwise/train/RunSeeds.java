package dev.dropwise.train;

import dev.dropwise.util.Seeds;

/**
 * The random streams of a run: initial weights, the order of examples (and the validation split),
 * and the dropout masks. {@link #from(long)} derives all three from one run seed; each can also be
 * set on its own, e.g. to vary masks while keeping the initial weights.
 */
public record RunSeeds(long init, long shuffle, long mask) {
  /** All three seeds derived from one run seed. */
  public static RunSeeds from(long seed) {
    return new RunSeeds(Seeds.mix(seed, 1), Seeds.mix(seed, 2), Seeds.mix(seed, 3));
  }

  /** The same seeds with the initial weights' set to {@code value}. */
  public RunSeeds withInit(long value) {
    return new RunSeeds(value, shuffle, mask);
  }

  /** The same seeds with the example order's set to {@code value}. */
  public RunSeeds withShuffle(long value) {
    return new RunSeeds(init, value, mask);
  }

  /** The same seeds with the dropout masks' set to {@code value}. */
  public RunSeeds withMask(long value) {
    return new RunSeeds(init, shuffle, value);
  }
}
