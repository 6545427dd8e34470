package dev.dropwise.schedule;

import dev.dropwise.util.CanonicalText;
import dev.dropwise.util.Nesting;
import dev.dropwise.util.Registry;
import dev.dropwise.util.Registry.Described;
import dev.dropwise.util.Registry.Parameter;
import dev.dropwise.util.Settings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The one registry of rate schedules, with every default in one place:
 *
 * <pre>
 *   constant       r=0.5
 *   adaptive       r0=0.5, alpha=0.5, thetadepth=1, thetaepoch=1, reading=prose|written
 *   dynamic-alpha  adaptive's, delta=5, lambda=0.4
 *   contextual     r0=0.5, theta=5, phi=1, psi=1, tmid (default: half the epochs)
 *   annealed       start=0.5, end=0.1, epochs=5
 *   curriculum     r=0.5, gamma=1
 *   integrated     of=adaptive+contextual+curriculum, eta=5; a part with settings of its own is
 *                  written with them in parentheses: of=adaptive(r0=0.3,alpha=0.2)+curriculum
 * </pre>
 *
 * <p>A schedule is written as a setting's value, {@code adaptive} or {@code adaptive(r0=0.3)}: the
 * rate of standard dropout, {@code standard:p=adaptive(r0=0.3)}, or a part of integrated. Inside
 * the parentheses {@code ;} is read as {@code ,}, as the texts of earlier versions wrote it.
 */
public final class RateSchedules {
  private RateSchedules() {}

  /** contextual's tmid when none is given: half the run's epochs, known only when it starts. */
  private static final String AT_HALF_THE_EPOCHS = "E/2";

  /** A built-in schedule kind: its entry and its factory. */
  private static Parameter p(String name, String defaultValue, String doc) {
    return new Parameter(name, defaultValue, doc);
  }

  private static final List<Parameter> ADAPTIVE =
      List.of(
          p("r0", "0.5", "base rate"),
          p("alpha", "0.5", "depth factor"),
          p("thetadepth", "1", "depth exponent"),
          p("thetaepoch", "1", "epoch exponent"),
          p("reading", "prose", "Eq. 1 as its prose describes it (prose) or as printed (written)"));

  private static final List<Registry.Entry<RateSchedule>> BUILT_IN =
      List.of(
          new Described<>(
              "constant",
              List.of(),
              "one rate throughout",
              List.of(p("r", "0.5", "the rate")),
              s -> new ConstantRate(s.number("r"))),
          new Described<>(
              "adaptive",
              List.of(),
              "Eq. 1: by depth and epoch",
              ADAPTIVE,
              RateSchedules::adaptive),
          new Described<>(
              "dynamic-alpha",
              List.of(),
              "Eq. 2: adaptive, alpha from the validation loss",
              concat(
                  ADAPTIVE,
                  List.of(
                      p("delta", "5", "the sigmoid's slope"),
                      p("lambda", "0.4", "the loss it centres on"))),
              s -> new DynamicAlphaRate(adaptive(s), s.number("delta"), s.number("lambda"))),
          new Described<>(
              "contextual",
              List.of(),
              "Eq. 9-11: data complexity, epoch and validation accuracy",
              List.of(
                  p("r0", "0.5", "base rate"),
                  p("theta", "5", "complexity factor"),
                  p("phi", "1", "epoch slope"),
                  p("psi", "1", "accuracy factor"),
                  p("tmid", AT_HALF_THE_EPOCHS, "the epoch at the middle of the decay")),
              s ->
                  new ContextualRate(
                      s.number("r0"),
                      s.number("theta"),
                      s.number("phi"),
                      s.number("psi"),
                      s.text("tmid").equals(AT_HALF_THE_EPOCHS) ? null : s.number("tmid"))),
          new Described<>(
              "annealed",
              List.of(),
              "linear from start to end over the first epochs",
              List.of(
                  p("start", "0.5", "first rate"),
                  p("end", "0.1", "last rate"),
                  p("epochs", "5", "epochs to anneal over")),
              s -> new AnnealedRate(s.number("start"), s.number("end"), s.integer("epochs"))),
          new Described<>(
              "curriculum",
              List.of(),
              "Morerio et al.: from 0 up to r",
              List.of(p("r", "0.5", "the final rate"), p("gamma", "1", "growth")),
              s -> new CurriculumRate(s.number("r"), s.number("gamma"))),
          new Described<>(
              "integrated",
              List.of(),
              "Eq. 15: the efficacy-weighted mean of several schedules",
              List.of(
                  p(
                      "of",
                      "adaptive+contextual+curriculum",
                      "the parts: NAME or NAME(key=value,...), joined by +"),
                  p("eta", "5", "the weight update's step size")),
              RateSchedules::integrated));

  private static final Registry<RateSchedule> REGISTRY =
      new Registry<>("schedule", BUILT_IN, ScheduleKind.class);

  /** Registers {@code kind}; see {@link Registry#register}. */
  public static void register(Registry.Entry<RateSchedule> kind) {
    REGISTRY.register(kind);
  }

  /** Every registered kind, built-ins first. */
  public static List<Registry.Entry<RateSchedule>> all() {
    return REGISTRY.all();
  }

  /** The kinds dropwise ships. */
  public static List<Registry.Entry<RateSchedule>> builtIns() {
    return REGISTRY.builtIns();
  }

  /**
   * The settings schedule {@code name} takes; none for an unknown name (parsing then refuses the
   * name).
   */
  public static List<String> keys(String name) {
    return REGISTRY.find(name).map(Registry::parameterNames).orElse(List.of());
  }

  /**
   * Schedule {@code name} with {@code args} (its keys checked by the caller) and the defaults for
   * the rest.
   */
  public static RateSchedule parse(String name, Settings args) {
    return REGISTRY.require(name, args.where()).create(args);
  }

  /**
   * The default of schedule {@code name}'s setting {@code key} among {@code others}; null where
   * {@code name} is no schedule or does not take {@code key}.
   */
  public static String defaultOf(String name, String key, Settings others) {
    return REGISTRY.defaultOf(name, key, others);
  }

  /** Schedule {@code name} with every setting at its default. */
  public static RateSchedule defaults(String name) {
    return parse(name, Settings.of(Map.of(), "schedule '" + name + "'"));
  }

  private static AdaptiveRate adaptive(Settings s) {
    return new AdaptiveRate(
        s.number("r0"),
        s.number("alpha"),
        s.number("thetadepth"),
        s.number("thetaepoch"),
        s.oneOf("reading", "prose", "written").equals("prose")
            ? AdaptiveRate.Reading.PROSE
            : AdaptiveRate.Reading.AS_WRITTEN);
  }

  private static RateSchedule integrated(Settings s) {
    List<RateSchedule> parts = new ArrayList<>();
    for (String part : Nesting.split(s.text("of"), '+', s.where())) {
      RateSchedule schedule = parse(part.trim(), "of=" + s.text("of") + " in " + s.where());
      if (schedule instanceof IntegratedRate) {
        throw new IllegalArgumentException(
            "of=" + s.text("of") + " in " + s.where() + ": integrated cannot contain itself");
      }
      parts.add(schedule);
    }
    return new IntegratedRate(parts, s.number("eta"));
  }

  /**
   * A schedule written as a value: {@code name} or {@code name(key=value,...)}, e.g. {@code
   * adaptive(r0=0.3,alpha=0.4)}; {@code where} names the text it is part of in messages.
   */
  public static RateSchedule parse(String text, String where) {
    // Texts of earlier versions separated a part's settings by ';'.
    return Nesting.parseNested(REGISTRY, text.replace(';', ','), where);
  }

  /** Whether {@code value} is written as a schedule (a name), not as a number. */
  public static boolean isSchedule(String value) {
    String v = value.trim();
    return !v.isEmpty()
        && Character.isLetter(v.charAt(0))
        && !v.equalsIgnoreCase("nan")
        && !v.equalsIgnoreCase("infinity");
  }

  /** Whether {@code value} names a registered schedule, with or without settings. */
  public static boolean namesSchedule(String value) {
    String v = value.trim();
    int open = v.indexOf('(');
    return REGISTRY.find((open < 0 ? v : v.substring(0, open)).trim()).isPresent();
  }

  /** The text of {@code schedule} as a value: see {@link RateSchedule#text}. */
  static String text(RateSchedule schedule) {
    return CanonicalText.nested(
        REGISTRY.require(schedule.name(), "the text of a schedule named '" + schedule.name() + "'"),
        schedule.settings());
  }

  private static List<Parameter> concat(List<Parameter> a, List<Parameter> b) {
    List<Parameter> all = new ArrayList<>(a);
    all.addAll(b);
    return List.copyOf(all);
  }
}
