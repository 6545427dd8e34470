package dev.dropwise.dropout;

import dev.dropwise.util.Registry;
import dev.dropwise.util.Settings;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one registry of dropout methods: the built-ins ({@link BuiltInDropoutMethods}), the
 * implementations of {@link DropoutMethod} that jars on the classpath list for {@link
 * java.util.ServiceLoader}, and methods registered at run time (from a notebook, say). Parsing a
 * spec's text, the CLI's method list and every "which methods can ..." message derive from it.
 */
public final class DropoutMethods {
  private static final Registry<DropoutSpec> REGISTRY =
      new Registry<>("dropout method", BuiltInDropoutMethods.ALL, DropoutMethod.class);

  private DropoutMethods() {}

  /** Registers {@code method}; see {@link Registry#register}. */
  public static void register(Registry.Entry<DropoutSpec> method) {
    REGISTRY.register(method);
  }

  /** Every registered method, built-ins first, in the order registered. */
  public static List<Registry.Entry<DropoutSpec>> all() {
    return REGISTRY.all();
  }

  /** The methods dropwise ships. */
  public static List<Registry.Entry<DropoutSpec>> builtIns() {
    return REGISTRY.builtIns();
  }

  /** The method called {@code name} (or with it as an alias), ignoring case. */
  public static Optional<Registry.Entry<DropoutSpec>> find(String name) {
    return REGISTRY.find(name);
  }

  /**
   * The canonical text of {@code spec}, written from its name and settings by the registry (see
   * {@link Registry#text}).
   */
  public static String text(DropoutSpec spec) {
    return REGISTRY.text(spec, spec.name(), spec.settings());
  }

  /** Parses {@code method[:key=value,...]}; every mistake names the text and what is allowed. */
  public static DropoutSpec parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException(
          "dropout spec is empty; allowed: none, standard:p=P, sector:n=N,p=P");
    }
    return REGISTRY.parse(text, "dropout spec");
  }

  /**
   * The text of {@code spec} as a setting of another spec takes it: {@code sector(n=8,p=0.5)} for
   * {@code sector:n=8,p=0.5}, so that its commas stay inside the parentheses.
   */
  public static String nestedText(DropoutSpec spec) {
    String text = spec.text();
    int colon = text.indexOf(':');
    return colon < 0 ? text : text.substring(0, colon) + "(" + text.substring(colon + 1) + ")";
  }

  /** Reads {@link #nestedText} (or the plain text, where it has no commas). */
  public static DropoutSpec parseNested(String text) {
    String trimmed = text.trim();
    int open = trimmed.indexOf('(');
    int colon = trimmed.indexOf(':');
    if (open > 0 && (colon < 0 || open < colon) && trimmed.endsWith(")")) {
      trimmed =
          trimmed.substring(0, open) + ":" + trimmed.substring(open + 1, trimmed.length() - 1);
    }
    return parse(trimmed);
  }

  /**
   * The registered methods whose default spec can run in an exported model's {@code mc_dropout}
   * signature.
   */
  public static List<String> withMonteCarlo() {
    return all().stream()
        .filter(m -> !m.name().equals("none"))
        .filter(m -> m.create(Settings.of(Map.of(), m.name())).monteCarloAtServing())
        .map(Registry.Entry::name)
        .toList();
  }
}
