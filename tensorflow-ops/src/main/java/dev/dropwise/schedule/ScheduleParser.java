package dev.dropwise.schedule;

import dev.dropwise.util.Settings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a rate schedule from its name and settings, with every default in one place:
 *
 * <pre>
 *   constant       r=0.5
 *   adaptive       r0=0.5, alpha=0.5, thetadepth=1, thetaepoch=1, reading=prose|written
 *   dynamic-alpha  adaptive's, delta=5, lambda=0.4
 *   contextual     r0=0.5, theta=5, phi=1, psi=1, tmid (default: half the epochs)
 *   annealed       start=0.5, end=0.1, epochs=5
 *   curriculum     r=0.5, gamma=1
 *   integrated     of=adaptive+contextual+curriculum, eta=5; a part with settings of its own is
 *                  written with them in parentheses, separated by ';': of=adaptive(r0=0.3;alpha=0.2)+curriculum
 * </pre>
 */
public final class ScheduleParser {
  private static final Set<String> ADAPTIVE = Set.of("r0", "alpha", "thetadepth", "thetaepoch", "reading");
  private static final Pattern PART = Pattern.compile("([a-z-]+)(?:\\((.*)\\))?");

  private ScheduleParser() {}

  /** The settings schedule {@code name} takes; none for an unknown name. */
  public static Set<String> keys(String name) {
    return switch (name) {
      case "constant" -> Set.of("r");
      case "adaptive" -> ADAPTIVE;
      case "dynamic-alpha" -> Set.of("r0", "alpha", "thetadepth", "thetaepoch", "reading", "delta", "lambda");
      case "contextual" -> Set.of("r0", "theta", "phi", "psi", "tmid");
      case "annealed" -> Set.of("start", "end", "epochs");
      case "curriculum" -> Set.of("r", "gamma");
      case "integrated" -> Set.of("of", "eta");
      default -> Set.of();
    };
  }

  /** Schedule {@code name} with {@code args} (its keys checked by the caller) and the defaults for the rest. */
  public static RateSchedule parse(String name, Settings args) {
    return switch (name) {
      case "constant" -> new ConstantRate(args.number("r", "0.5"));
      case "adaptive" -> adaptive(args);
      case "dynamic-alpha" -> new DynamicAlphaRate(adaptive(args), args.number("delta", "5"), args.number("lambda", "0.4"));
      case "contextual" -> new ContextualRate(args.number("r0", "0.5"), args.number("theta", "5"), args.number("phi", "1"),
          args.number("psi", "1"), args.containsKey("tmid") ? args.number("tmid", "0") : null);
      case "annealed" -> new AnnealedRate(args.number("start", "0.5"), args.number("end", "0.1"),
          args.integer("epochs", "5"));
      case "curriculum" -> new CurriculumRate(args.number("r", "0.5"), args.number("gamma", "1"));
      case "integrated" -> {
        List<RateSchedule> parts = new ArrayList<>();
        for (String part : args.getOrDefault("of", "adaptive+contextual+curriculum").split("\\+")) {
          parts.add(part(part.trim(), args));
        }
        yield new IntegratedRate(parts, args.number("eta", "5"));
      }
      default -> throw new IllegalArgumentException("schedule=" + name + " in " + args.where()
          + " is not allowed; use constant, adaptive, dynamic-alpha, contextual, annealed, curriculum or integrated");
    };
  }

  /** Schedule {@code name} with every setting at its default. */
  public static RateSchedule defaults(String name) {
    return parse(name, Settings.of(Map.of(), "schedule '" + name + "'"));
  }

  /** One part of integrated's {@code of}: {@code name} or {@code name(key=value;...)}. */
  private static RateSchedule part(String text, Settings outer) {
    Matcher m = PART.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException("of=" + outer.get("of") + " in " + outer.where() + ": '" + text
          + "' is not a schedule; write NAME or NAME(key=value;key=value)");
    }
    String name = m.group(1);
    if (name.equals("integrated")) {
      throw new IllegalArgumentException("of=" + outer.get("of") + " in " + outer.where() + ": integrated cannot contain itself");
    }
    Settings own = Settings.parse(m.group(2) == null ? "" : m.group(2).replace(';', ','),
        "part '" + text + "' of " + outer.where());
    own.allowOnly(keys(name));
    return parse(name, own);
  }

  /** How integrated writes {@code part}: its name alone when every setting is the default, else with them. */
  static String partText(RateSchedule part) {
    String text = part.text();
    String name = text.replaceFirst("^schedule=([a-z-]+).*$", "$1");
    return text.equals(defaults(name).text()) ? name
        : name + "(" + text.replaceFirst("^schedule=[a-z-]+,?", "").replace(',', ';') + ")";
  }

  private static AdaptiveRate adaptive(Settings args) {
    return new AdaptiveRate(args.number("r0", "0.5"), args.number("alpha", "0.5"),
        args.number("thetadepth", "1"), args.number("thetaepoch", "1"),
        args.choice("reading", "prose", "prose", "written").equals("prose")
            ? AdaptiveRate.Reading.PROSE : AdaptiveRate.Reading.AS_WRITTEN);
  }
}
