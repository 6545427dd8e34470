package dev.dropwise.util;

/** Derives independent 64-bit seeds from one, so that one run seed drives every random stream. */
public final class Seeds {
  private Seeds() {}

  /** SplitMix64 finaliser of {@code seed + stream}: distinct streams give unrelated seeds. */
  public static long mix(long seed, long stream) {
    long z = seed + 0x9E3779B97F4A7C15L * (stream + 1);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
