package dev.dropwise.util;

import java.util.Locale;

/** Sizes of memory in words for a person ({@code 1.5 GiB}). */
public final class Bytes {
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
