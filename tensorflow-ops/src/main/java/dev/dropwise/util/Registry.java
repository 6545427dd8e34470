package dev.dropwise.util;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.function.Function;

/**
 * Registered things of one kind (dropout methods, importance measures) by name and alias: the
 * built-ins, the implementations that jars on the classpath list for {@link ServiceLoader}, and
 * those registered at run time (from a notebook, say). Parsing, the CLI's lists and the messages
 * that say what is allowed all come from one registry.
 */
public final class Registry<T> {
  /**
   * What a registry holds: a name the text format uses, aliases, a line of docs, the settings, and
   * a factory of the {@code T} (a dropout spec, an importance measure, a schedule) they describe.
   */
  public interface Entry<T> {
    /** The name the text format uses, lower case. */
    String name();

    /** Other names for the same thing. */
    default List<String> aliases() {
      return List.of();
    }

    /** One line for the CLI's lists. */
    String summary();

    /** The settings it takes, with their defaults; any other key is refused. */
    List<Parameter> parameters();

    /**
     * The thing for {@code settings}, whose keys are among {@link #parameters()}; defaults for the
     * rest.
     */
    T create(Settings settings);
  }

  /**
   * An entry made of its parts: how the built-ins are written, and a short way for users to write
   * theirs.
   */
  public record Described<T>(
      String name,
      List<String> aliases,
      String summary,
      List<Parameter> parameters,
      Function<Settings, T> factory)
      implements Entry<T> {
    public Described {
      aliases = List.copyOf(aliases);
      parameters = List.copyOf(parameters);
    }

    @Override
    public T create(Settings settings) {
      return factory.apply(settings);
    }
  }

  /** A setting: its key, its default as text, and what it means (with its allowed range). */
  public record Parameter(String name, String defaultValue, String doc) {}

  private final String kind;
  private final List<Entry<T>> builtIns;
  private final Map<String, Entry<T>> byName = new LinkedHashMap<>();
  private final List<Entry<T>> entries = new ArrayList<>();

  /**
   * The registry of {@code kind} ("dropout method"): {@code builtIns}, then what ServiceLoader
   * finds for {@code service}.
   */
  public Registry(
      String kind, List<? extends Entry<T>> builtIns, Class<? extends Entry<T>> service) {
    this.kind = kind;
    this.builtIns = List.copyOf(builtIns);
    builtIns.forEach(this::add);
    for (Entry<T> plugin : ServiceLoader.load(service)) {
      add(plugin);
    }
  }

  /**
   * Registers {@code entry} under its name and aliases. A name a built-in uses is refused; a name a
   * user's entry already has is taken over (a notebook cell run again).
   */
  public synchronized void register(Entry<T> entry) {
    for (String name : names(entry)) {
      Entry<T> existing = byName.get(name);
      if (existing != null && builtIns.contains(existing)) {
        throw new IllegalArgumentException(
            kind + " name '" + name + "' is taken by a built-in " + kind + "; choose another");
      }
    }
    entries.removeIf(e -> e.name().equals(entry.name()));
    byName.values().removeIf(e -> e.name().equals(entry.name()));
    add(entry);
  }

  private void add(Entry<T> entry) {
    for (String name : names(entry)) {
      Entry<T> clash = byName.get(name);
      if (clash != null) {
        throw new IllegalStateException(
            kind
                + "s "
                + clash.getClass().getName()
                + " and "
                + entry.getClass().getName()
                + " both call themselves '"
                + name
                + "'");
      }
    }
    names(entry).forEach(name -> byName.put(name, entry));
    entries.add(entry);
  }

  private static List<String> names(Entry<?> entry) {
    List<String> names = new ArrayList<>(List.of(entry.name()));
    names.addAll(entry.aliases());
    return names.stream().map(n -> n.toLowerCase(Locale.ROOT)).toList();
  }

  /** Every entry, built-ins first, in the order registered. */
  public synchronized List<Entry<T>> all() {
    return List.copyOf(entries);
  }

  /** The entry called {@code name} (or with it as an alias), ignoring case. */
  public synchronized Optional<Entry<T>> find(String name) {
    return Optional.ofNullable(byName.get(name.toLowerCase(Locale.ROOT)));
  }

  /**
   * The entry called {@code name}, or a refusal that names it, where it was written ({@code where})
   * and what is allowed.
   */
  public Entry<T> require(String name, String where) {
    return find(name)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "unknown "
                        + kind
                        + " '"
                        + name.toLowerCase(Locale.ROOT)
                        + "' in "
                        + where
                        + "; allowed: "
                        + names()));
  }

  /** The entries' names, comma-separated, for messages and help. */
  public String names() {
    return String.join(", ", all().stream().map(Entry::name).toList());
  }

  /** The names of {@code entry}'s settings, for {@link Settings#allowOnly}. */
  public static List<String> parameterNames(Entry<?> entry) {
    return entry.parameters().stream().map(Parameter::name).toList();
  }
}
