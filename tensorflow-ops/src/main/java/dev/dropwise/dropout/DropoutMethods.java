package dev.dropwise.dropout;

import dev.dropwise.util.Settings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * The one registry of dropout methods: the built-ins ({@link BuiltInDropoutMethods}), the
 * implementations of {@link DropoutMethod} that jars on the classpath list for {@link
 * ServiceLoader}, and methods registered at run time (from a notebook, say). Parsing a spec's text,
 * the CLI's method list and every "which methods can ..." message derive from it.
 */
public final class DropoutMethods {
  private static final Map<String, DropoutMethod> BY_NAME = new LinkedHashMap<>();
  private static final List<DropoutMethod> METHODS = new ArrayList<>();

  static {
    BuiltInDropoutMethods.ALL.forEach(DropoutMethods::add);
    for (DropoutMethod plugin : ServiceLoader.load(DropoutMethod.class)) {
      add(plugin);
    }
  }

  private DropoutMethods() {}

  /**
   * Registers {@code method} under its name and aliases. A name a built-in method uses is refused;
   * registering a method whose name a user's method already has replaces that one (a notebook cell
   * run again).
   */
  public static synchronized void register(DropoutMethod method) {
    for (String name : names(method)) {
      DropoutMethod existing = BY_NAME.get(name);
      if (existing != null && BuiltInDropoutMethods.ALL.contains(existing)) {
        throw new IllegalArgumentException("dropout method name '" + name + "' is taken by a built-in method; choose another");
      }
    }
    METHODS.removeIf(m -> m.name().equals(method.name()));
    BY_NAME.values().removeIf(m -> m.name().equals(method.name()));
    add(method);
  }

  private static void add(DropoutMethod method) {
    for (String name : names(method)) {
      DropoutMethod clash = BY_NAME.get(name);
      if (clash != null) {
        throw new IllegalStateException("dropout methods " + clash.getClass().getName() + " and "
            + method.getClass().getName() + " both call themselves '" + name + "'");
      }
    }
    names(method).forEach(name -> BY_NAME.put(name, method));
    METHODS.add(method);
  }

  private static List<String> names(DropoutMethod method) {
    List<String> names = new ArrayList<>(List.of(method.name()));
    names.addAll(method.aliases());
    return names.stream().map(n -> n.toLowerCase(Locale.ROOT)).toList();
  }

  /** Every registered method, built-ins first, in the order registered. */
  public static synchronized List<DropoutMethod> all() {
    return List.copyOf(METHODS);
  }

  /** The method called {@code name} (or with it as an alias), ignoring case. */
  public static synchronized Optional<DropoutMethod> find(String name) {
    return Optional.ofNullable(BY_NAME.get(name.toLowerCase(Locale.ROOT)));
  }

  /** Parses {@code method[:key=value,...]}; every mistake names the text and what is allowed. */
  public static DropoutSpec parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("dropout spec is empty; allowed: none, standard:p=P, sector:n=N,p=P");
    }
    String trimmed = text.trim();
    int colon = trimmed.indexOf(':');
    String name = colon < 0 ? trimmed : trimmed.substring(0, colon);
    DropoutMethod method = find(name).orElseThrow(() -> new IllegalArgumentException(
        "unknown dropout method '" + name.toLowerCase(Locale.ROOT) + "' in '" + trimmed + "'; allowed: "
            + String.join(", ", all().stream().map(DropoutMethod::name).toList())));
    Settings settings = Settings.parse(colon < 0 ? "" : trimmed.substring(colon + 1), "dropout spec '" + trimmed + "'");
    settings.allowOnly(method.parameters().stream().map(DropoutMethod.Parameter::name).toList());
    return method.create(settings);
  }

  /** The registered methods whose default spec can run in an exported model's {@code mc_dropout} signature. */
  public static List<String> withMonteCarlo() {
    return all().stream().filter(m -> !m.name().equals("none"))
        .filter(m -> m.create(Settings.of(Map.of(), m.name())).monteCarloAtServing())
        .map(DropoutMethod::name).toList();
  }
}
