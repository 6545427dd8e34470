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
    /** Copies the lists, so the entry never changes. */
    public Described {
      aliases = List.copyOf(aliases);
      parameters = List.copyOf(parameters);
    }

    /** The factory's {@code T}, its settings' defaults those of {@link #parameters()}. */
    @Override
    public T create(Settings settings) {
      return factory.apply(settings.bind(parameters));
    }
  }

  /**
   * A setting: its key, its default as text, and what it means (with its allowed range). The one
   * place a default is said: a factory reads the settings it was given ({@link Settings#number},
   * {@link Settings#text}), which fall back to these. Where the default depends on other settings
   * (timing=current when mode=example), {@code rule} computes it from them and {@code defaultValue}
   * says it in words; a rule's null means the setting does not apply there. The canonical text
   * ({@link CanonicalText}) writes a setting where it differs from its default, or always when
   * {@code alwaysWritten} (a method's drop rate, which readers compare methods by).
   */
  public record Parameter(
      String name,
      String defaultValue,
      String doc,
      Function<Settings, String> rule,
      boolean alwaysWritten) {
    /** A setting whose default is {@code defaultValue}, whatever the others are. */
    public Parameter(String name, String defaultValue, String doc) {
      this(name, defaultValue, doc, null, false);
    }

    /** A setting whose default {@code rule} computes from the others. */
    public Parameter(
        String name, String defaultValue, String doc, Function<Settings, String> rule) {
      this(name, defaultValue, doc, rule, false);
    }

    /** A setting that has no default: it must be written, and every text writes it. */
    public static Parameter required(String name, String doc) {
      return new Parameter(name, null, doc, null, true);
    }

    /** Whether it has no default ({@link #required}). */
    public boolean isRequired() {
      return defaultValue == null && rule == null;
    }

    /** Its default among {@code others}: its rule's value, or the one default. */
    public String defaultIn(Settings others) {
      return rule == null ? defaultValue : rule.apply(others);
    }

    /** The same setting with another fixed default (a variant of a method). */
    public Parameter withDefault(String value) {
      return new Parameter(name, value, doc, null, alwaysWritten);
    }

    /** The same setting, written in the canonical text even at its default. */
    public Parameter writtenAlways() {
      return new Parameter(name, defaultValue, doc, rule, true);
    }
  }

  /**
   * {@code base} with the defaults that {@code keyValues} ({@code key, value, key, value, ...})
   * name replaced: the parameter list of a variant (lrp-official, pfid-paper).
   */
  public static List<Parameter> withDefaults(List<Parameter> base, String... keyValues) {
    Map<String, String> changed = new LinkedHashMap<>();
    for (int i = 0; i + 1 < keyValues.length; i += 2) {
      changed.put(keyValues[i], keyValues[i + 1]);
    }
    List<Parameter> out =
        base.stream()
            .map(p -> changed.containsKey(p.name()) ? p.withDefault(changed.remove(p.name())) : p)
            .toList();
    if (!changed.isEmpty() || keyValues.length % 2 != 0) {
      throw new IllegalArgumentException(
          "withDefaults: " + changed.keySet() + " are not parameters, or a value is missing");
    }
    return out;
  }

  /**
   * Where {@code entry}'s listed defaults and its factory disagree: for each parameter with a
   * default among the others' defaults, {@code entry} created with that value written out must be
   * the same as created with nothing written. Empty when they agree; a test of an entry of your own
   * can assert that.
   */
  public static <T> List<String> defaultsNotUsed(Entry<T> entry) {
    T base = entry.create(Settings.of(Map.of(), entry.name()));
    Settings none = Settings.of(Map.of(), entry.name()).bind(entry.parameters());
    List<String> wrong = new ArrayList<>();
    for (Parameter p : entry.parameters()) {
      String value = p.defaultIn(none);
      if (value == null) {
        continue;
      }
      T written = entry.create(Settings.of(Map.of(p.name(), value), entry.name()));
      if (!written.equals(base)) {
        wrong.add(
            entry.name()
                + ": "
                + p.name()
                + "="
                + value
                + " gives "
                + written
                + ", not the default "
                + base);
      }
    }
    return wrong;
  }

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
    this(kind, builtIns);
    for (Entry<T> plugin : ServiceLoader.load(service)) {
      add(plugin);
    }
  }

  /**
   * A registry of {@code builtIns} alone, which no jar extends (the layers a network is made of).
   */
  public Registry(String kind, List<? extends Entry<T>> builtIns) {
    this.kind = kind;
    this.builtIns = List.copyOf(builtIns);
    builtIns.forEach(this::add);
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

  /** The entries the registry was built with: what dropwise ships, before any plugin. */
  public List<Entry<T>> builtIns() {
    return builtIns;
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

  /**
   * Reads {@code name[:key=value,...]} (the grammar in the README): the entry called {@code name}
   * made from the settings written, each a parameter of it, the rest at their defaults. Every
   * mistake names the text and what is allowed; {@code what} says what the text is ({@code "dropout
   * spec"}).
   */
  public T parse(String text, String what) {
    String trimmed = text.trim();
    int colon = trimmed.indexOf(':');
    Entry<T> entry =
        require((colon < 0 ? trimmed : trimmed.substring(0, colon)).trim(), "'" + trimmed + "'");
    Settings settings =
        Settings.parse(colon < 0 ? "" : trimmed.substring(colon + 1), what + " '" + trimmed + "'");
    settings.allowOnly(parameterNames(entry));
    return entry.create(settings);
  }

  /**
   * The default of entry {@code name}'s setting {@code key} among {@code others}; null where there
   * is no such entry or it does not take {@code key} (for settings handed on to another entry).
   */
  public String defaultOf(String name, String key, Settings others) {
    return find(name)
        .flatMap(e -> e.parameters().stream().filter(p -> p.name().equals(key)).findFirst())
        .map(p -> p.defaultIn(others))
        .orElse(null);
  }

  /**
   * The canonical text of {@code spec}, made by the entry called {@code name} from {@code values}
   * (its settings by parameter name; see {@link CanonicalText}). Where another entry takes the same
   * settings with other defaults (a variant: lrp-official of lrp) and writes {@code spec} shorter,
   * its text is the canonical one; ties go to {@code name}.
   */
  public String text(T spec, String name, Map<String, ?> values) {
    Entry<T> own = require(name, "the text of a spec named '" + name + "'");
    String best = CanonicalText.of(own, values);
    for (Entry<T> other : all()) {
      if (other != own && parameterNames(other).equals(parameterNames(own))) {
        String text = CanonicalText.of(other, values);
        if (text.length() < best.length() && makes(other, values, text, spec)) {
          best = text;
        }
      }
    }
    return best;
  }

  /** Whether {@code entry} makes {@code spec} from the settings {@code text} writes. */
  private static <T> boolean makes(Entry<T> entry, Map<String, ?> values, String text, T spec) {
    try {
      return spec.equals(entry.create(Settings.of(CanonicalText.written(entry, values), text)));
    } catch (IllegalArgumentException notItsSettings) {
      return false; // another method with the same parameter names (alpha's p is no schedule)
    }
  }

  /** What the registry holds, for messages: {@code "dropout method"}, {@code "schedule"}, ... */
  public String kind() {
    return kind;
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
