package dev.dropwise.ops;

/** Parameter rules of sector-wise dropout, shared by its spec and its layout. */
public final class SectorWiseRules {
  private SectorWiseRules() {}

  /** Units dropped per sector of {@code n}: {@code m = round(p * n)}, rounded half-up. */
  public static int dropCount(int n, double p) {
    return (int) Math.round(p * n);
  }

  /** Refuses a sector size below 2. */
  public static void checkSize(int n) {
    if (n < 2) {
      throw new IllegalArgumentException("sector size n=" + n + " is not allowed: n must be >= 2");
    }
  }

  /** Refuses a layer narrower than one unit or than a sector. */
  public static void checkFits(int width, int n) {
    if (width < 1) {
      throw new IllegalArgumentException("layer width must be >= 1, got " + width);
    }
    if (n > width) {
      throw new IllegalArgumentException(
          "sector size n="
              + n
              + " is wider than the layer ("
              + width
              + " units); allowed: 2 <= n <= "
              + width);
    }
  }

  /** Refuses n and p that cannot give an exact, non-trivial drop count. */
  public static void check(int n, double p) {
    checkSize(n);
    StandardDropoutRate.check("p", p);
    int m = dropCount(n, p);
    if (m < 1 || m > n - 1) {
      throw new IllegalArgumentException(
          "m = round(p*n) = round("
              + p
              + "*"
              + n
              + ") = "
              + m
              + " is not allowed: it must be in [1, "
              + (n - 1)
              + "] (drop at least one unit and keep at least one per sector)");
    }
  }
}
