package dev.dropwise.util;

/** Text placed in HTML (result pages, notebook renderings). */
public final class Html {
  private Html() {}

  /** {@code text} with {@code &}, {@code <} and {@code >} escaped. */
  public static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
