package dev.dropwise.ops;

import java.util.Arrays;

/**
 * How sector-wise dropout (seed 000) splits a layer of {@code width} units: consecutive sectors of
 * {@code n} units, exactly {@code m = round(p * n)} of them dropped in each, kept units scaled by
 * {@code n / (n - m)}.
 *
 * <p>When {@code n} does not divide the width, the last sector holds the {@code r = width mod n}
 * remaining units and gets its own exact count {@code m_last = min(round(p * r), r - 1)} with scale
 * {@code r / (r - m_last)}: its drop fraction stays as close to p as r units allow, and it always
 * keeps at least one unit (so its scale stays finite). With r = 1 that last unit is never dropped.
 * Rounding is half-up ({@link Math#round(double)}).
 */
public record SectorLayout(int width, int n, double p) {

  /**
   * Refuses {@code n} and {@code p} that {@link SectorWiseRules#check} refuses, a width below 1,
   * and a sector wider than the layer.
   */
  public SectorLayout {
    SectorWiseRules.check(n, p);
    SectorWiseRules.checkFits(width, n);
  }

  /** Units dropped in every full sector. */
  public int m() {
    return SectorWiseRules.dropCount(n, p);
  }

  /** Number of full sectors of n units. */
  public int fullSectors() {
    return width / n;
  }

  /** Width of the last, partial sector; 0 when n divides the width. */
  public int lastWidth() {
    return width % n;
  }

  /** Units dropped in the partial sector. */
  public int lastM() {
    int r = lastWidth();
    return r == 0 ? 0 : Math.min((int) Math.round(p * r), r - 1);
  }

  /** The sector index of each unit (partial sector last). */
  public int sectorOf(int unit) {
    return unit / n;
  }

  /** Expected number of units dropped per example. */
  public int dropsPerExample() {
    return fullSectors() * m() + lastM();
  }

  /** Most table entries {@link #patterns} may hold before the TopK construction is used instead. */
  static final long MAX_PATTERN_ENTRIES = 1 << 20;

  /** Whether both sector kinds are small enough to draw masks from pattern tables. */
  public boolean usesPatternTables() {
    return patternEntries(n, m()) <= MAX_PATTERN_ENTRIES
        && (lastWidth() == 0 || patternEntries(lastWidth(), lastM()) <= MAX_PATTERN_ENTRIES);
  }

  private static long patternEntries(int width, int drops) {
    return combinations(width, drops) * width;
  }

  /** C(n, k), saturating at Long.MAX_VALUE. */
  static long combinations(int n, int k) {
    long c = 1;
    for (int i = 1; i <= k; i++) {
      c = c * (n - k + i) / i;
      if (c > Integer.MAX_VALUE) {
        return Long.MAX_VALUE;
      }
    }
    return c;
  }

  /**
   * Every way to drop {@code drops} of {@code width} units, one row each, as multipliers (0 for a
   * dropped unit, {@code width / (width - drops)} for a kept one), followed by one row of ones. A
   * uniform row index over the first C(width, drops) rows is a uniform exact-count mask; the last
   * row is the identity used when not training.
   */
  static float[][] patterns(int width, int drops) {
    int count = (int) combinations(width, drops);
    float keptScale = (float) width / (width - drops);
    float[][] rows = new float[count + 1][width];
    int[] chosen = new int[drops];
    for (int i = 0; i < drops; i++) {
      chosen[i] = i;
    }
    for (int row = 0; row < count; row++) {
      Arrays.fill(rows[row], keptScale);
      for (int c : chosen) {
        rows[row][c] = 0f;
      }
      // next combination in lexicographic order
      int i = drops - 1;
      while (i >= 0 && chosen[i] == width - drops + i) {
        i--;
      }
      if (i >= 0) {
        chosen[i]++;
        for (int j = i + 1; j < drops; j++) {
          chosen[j] = chosen[j - 1] + 1;
        }
      }
    }
    Arrays.fill(rows[count], 1f);
    return rows;
  }

  /** Scale applied to each kept unit, per unit, so that every sector keeps its expected sum. */
  public float[] keptScale() {
    float[] scale = new float[width];
    float full = (float) n / (n - m());
    int fullUnits = fullSectors() * n;
    Arrays.fill(scale, 0, fullUnits, full);
    if (lastWidth() > 0) {
      Arrays.fill(scale, fullUnits, width, (float) lastWidth() / (lastWidth() - lastM()));
    }
    return scale;
  }
}
