package dev.dropwise.util;

import java.util.Locale;

/** Sizes of memory: in words for a person ({@code 1.5 GiB}), and the largest array. */
public final class Bytes {
  /** The most elements one Java array holds on the JVMs dropwise runs on (a few below 2^31 - 1). */
  public static final int MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 8;

  private Bytes() {}

  /** {@code bytes} in the largest binary unit that keeps it at 1 or more, one decimal. */
  public static String text(double bytes) {
    String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    int u = 0;
    while (bytes >= 1024 && u < units.length - 1) {
      bytes /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, "%.1f %s", bytes, units[u]);
  }
}
