package dev.dropwise.train;

import dev.dropwise.util.Seeds;

/**
 * The random streams of a run: initial weights, the order of examples (and the validation split),
 * and the dropout masks. {@link #from(long)} derives all three from one run seed; each can also be
 * set on its own, e.g. to vary masks while keeping the initial weights.
 */
public record RunSeeds(long init, long shuffle, long mask) {
  public static RunSeeds from(long seed) {
    return new RunSeeds(Seeds.mix(seed, 1), Seeds.mix(seed, 2), Seeds.mix(seed, 3));
  }

  public RunSeeds withInit(long value) {
    return new RunSeeds(value, shuffle, mask);
  }

  public RunSeeds withShuffle(long value) {
    return new RunSeeds(init, value, mask);
  }

  public RunSeeds withMask(long value) {
    return new RunSeeds(init, shuffle, value);
  }
}
