package dev.dropwise.util;

/** Names of files and folders that dropwise derives from a spec's text. */
public final class FileNames {
  private FileNames() {}

  /**
   * {@code text} with every run of characters other than letters, digits, '.', '=' and '-' as one
   * '_': {@code lrp-eps:epsilon=0.01} gives {@code lrp-eps_epsilon=0.01}.
   */
  public static String slug(String text) {
    return text.replaceAll("[^A-Za-z0-9.=-]+", "_");
  }
}
