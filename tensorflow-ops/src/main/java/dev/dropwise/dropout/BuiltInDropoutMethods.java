package dev.dropwise.dropout;

import dev.dropwise.importance.ImportanceSpec;
import dev.dropwise.schedule.RateSchedule;
import dev.dropwise.schedule.RateSchedules;
import dev.dropwise.util.Registry;
import dev.dropwise.util.Registry.Described;
import dev.dropwise.util.Registry.Parameter;
import dev.dropwise.util.Settings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The dropout methods dropwise ships, as {@link DropoutMethods} registers them, with their
 * defaults.
 */
final class BuiltInDropoutMethods {
  private BuiltInDropoutMethods() {}

  /** A built-in method: its entry in the registry and its factory. */
  private static Parameter p(String name, String defaultValue, String doc) {
    return new Parameter(name, defaultValue, doc);
  }

  /**
   * The methods whose {@code p} a rate schedule can set (a test holds this list to the factories).
   */
  static final List<String> SCHEDULED_RATE = List.of("standard", "sector", "gaussian", "dropblock");

  /** A rate that a schedule may set: {@code doc}, and how to write a schedule. */
  private static Parameter scheduledRate(String defaultValue, String doc) {
    return p(
            "p",
            defaultValue,
            doc + ", or a schedule that sets it every epoch: adaptive(r0=0.3), ...")
        .writtenAlways();
  }

  static final List<Registry.Entry<DropoutSpec>> ALL =
      List.of(
          new Described<>("none", List.of(), "no dropout", List.of(), s -> new NoDropout()),
          new Described<>(
              "standard",
              List.of("dropout", "bernoulli"),
              "Bernoulli dropout, inverted scaling 1/(1 - p)",
              List.of(scheduledRate("0.5", "drop rate, in [0, 1)")),
              BuiltInDropoutMethods::standard),
          new Described<>(
              "sector",
              List.of("sector-wise", "sectorwise"),
              "sector-wise: exactly round(p*n) of every n units",
              List.of(
                  p("n", "8", "sector size, >= 2").writtenAlways(),
                  scheduledRate("0.5", "share dropped per sector; round(p*n) in [1, n-1]"),
                  p("mode", "example", "example: a mask per example; batch: one per batch")),
              BuiltInDropoutMethods::sector),
          new Described<>(
              "lrp",
              List.of("lrp-guided"),
              "LRP-guided as shipped: each unit dropped at a rate that rises with its relevance rank",
              ImportanceGuidedParameters.LRP,
              BuiltInDropoutMethods::lrp),
          new Described<>(
              "lrp-official",
              List.of(),
              "LRP-guided as the official code: the top p by batch-mean |LRP-eps|, after the update",
              Registry.withDefaults(
                  ImportanceGuidedParameters.LRP,
                  "p",
                  "0.5",
                  "select",
                  "top",
                  "scale",
                  "uniform",
                  "examples",
                  "all"),
              BuiltInDropoutMethods::lrp),
          new Described<>(
              "ydrop",
              List.of("y-drop"),
              "Y-Drop: strong / weak buckets by conductance, moving-average scaling",
              ImportanceGuidedParameters.withMeasureSettings(
                  List.of(
                      p("alpha", "0.01", "elasticity of the moving average, in [0, 1]"),
                      p("k", "1", "annealing epochs at p0 first, >= 0"),
                      p(
                          "nc",
                          "5",
                          "the ranking uses B / nc examples; a conductance takes nc steps"),
                      p("ws", "0.5", "strong bucket's share of units"),
                      p("mul", "0.1", "weak bucket's mean rate"),
                      p("muh", "0.6", "strong bucket's mean rate"),
                      p("sigma", "0.05", "spread of the bucket rates"),
                      p("p0", "0.35", "rate while annealing and the average's start"),
                      p("maxl", "0.25", "weak bucket's cap"),
                      p("maxh", "0.75", "strong bucket's cap"),
                      p(
                          "importance",
                          "conductance",
                          "the measure units are ranked by: conductance (the paper's) or any of explain's")),
                  "conductance",
                  s -> s.text("importance"),
                  "target",
                  "path",
                  "epsilon",
                  "gamma"),
              BuiltInDropoutMethods::yDrop),
          new Described<>(
              "pfid",
              List.of(),
              "PFID as shipped: per-unit rates from importance, mean 0.5, capped at 0.9",
              ImportanceGuidedParameters.PFID,
              BuiltInDropoutMethods::pfid),
          new Described<>(
              "pfid-paper",
              List.of(),
              "PFID's lemma as written: p = 1 - alpha * norm(I), no calibration, max 1",
              Registry.withDefaults(
                  ImportanceGuidedParameters.PFID, "mean", "0", "max", "1", "examples", "all"),
              BuiltInDropoutMethods::pfid),
          new ScheduledMethod(),
          new Described<>(
              "alpha",
              List.of("alpha-dropout"),
              "Alpha dropout, for SELU networks",
              List.of(p("p", "0.1", "drop rate, in [0, 1)").writtenAlways()),
              s -> new AlphaDropout(fixedRate(s))),
          new Described<>(
              "gaussian",
              List.of("gaussian-dropout"),
              "Gaussian dropout: multiplicative noise, mean 1 and variance p/(1 - p)",
              List.of(
                  scheduledRate(
                      "0.5", "the rate whose variance p/(1 - p) the noise has, in [0, 1)")),
              BuiltInDropoutMethods::gaussian),
          new ConcreteDropout.Method(),
          new Described<>(
              "dropconnect",
              List.of(),
              "DropConnect: drops the next Dense layer's weights, one mask per step",
              List.of(p("p", "0.5", "drop rate, in [0, 1)").writtenAlways()),
              s -> new DropConnect(fixedRate(s))),
          new Described<>(
              "spatial",
              List.of("spatial-dropout"),
              "SpatialDropout: whole channels of a feature map",
              List.of(p("p", "0.1", "drop rate, in [0, 1)").writtenAlways()),
              s -> new SpatialDropout(fixedRate(s))),
          new Described<>(
              "dropblock",
              List.of(),
              "DropBlock: block x block squares of a feature map",
              List.of(
                  scheduledRate("0.1", "drop rate, in [0, 1)"),
                  p("block", "3", "square size, >= 1"),
                  p("ramp", "0", "share of training over which the rate ramps up, in [0, 1]")),
              BuiltInDropoutMethods::dropBlock),
          new Described<>(
              "spatially-aware",
              List.of("spatial-aware"),
              "spatially aware dropout (Eq. 7-8): never the most prominent positions",
              List.of(
                  p("p", "0.1", "drop rate, in [0, 1)").writtenAlways(),
                  p("protect", "0.5", "share of positions protected"),
                  p("window", "3", "window the prominence is measured over")),
              s ->
                  new SpatiallyAwareDropout(
                      fixedRate(s), s.number("protect"), s.integer("window"))));

  /**
   * {@code p} of a method whose rate is fixed when the graph is built: a number; a schedule is
   * refused, naming the one method that takes one.
   */
  static double fixedRate(Settings s) {
    String p = s.text("p");
    if (RateSchedules.namesSchedule(p)) {
      throw new IllegalArgumentException(
          "p="
              + p
              + " in "
              + s.where()
              + " is not allowed: this method's rate is a number, fixed when the graph is built; "
              + String.join(", ", SCHEDULED_RATE)
              + " take a schedule ("
              + SCHEDULED_RATE.get(0)
              + ":p="
              + p
              + ")");
    }
    return s.number("p");
  }

  /**
   * The schedule {@code p} names as a value ({@code adaptive(r0=0.3)}), or null where {@code p} is
   * a number.
   */
  private static RateSchedule schedule(Settings s) {
    String p = s.text("p");
    return RateSchedules.isSchedule(p)
        ? RateSchedules.parse(p, "p=" + p + " in " + s.where())
        : null;
  }

  /** {@code p} a number, or a schedule written as a value ({@code adaptive(r0=0.3)}). */
  private static DropoutSpec standard(Settings s) {
    RateSchedule schedule = schedule(s);
    return schedule == null ? new StandardDropout(s.number("p")) : new StandardDropout(schedule);
  }

  private static DropoutSpec gaussian(Settings s) {
    RateSchedule schedule = schedule(s);
    return schedule == null ? new GaussianDropout(s.number("p")) : new GaussianDropout(schedule);
  }

  private static DropoutSpec sector(Settings s) {
    String mode = s.text("mode");
    if (!mode.equals("example") && !mode.equals("batch")) {
      throw new IllegalArgumentException(
          "mode=" + mode + " in " + s.where() + " is not allowed: use mode=example or mode=batch");
    }
    RateSchedule schedule = schedule(s);
    return schedule == null
        ? new SectorWiseDropout(s.integer("n"), s.number("p"), mode.equals("batch"))
        : new SectorWiseDropout(s.integer("n"), schedule, mode.equals("batch"));
  }

  private static DropoutSpec dropBlock(Settings s) {
    RateSchedule schedule = schedule(s);
    return new DropBlock(
        schedule == null ? s.number("p") : 0, s.integer("block"), s.number("ramp"), schedule);
  }

  private static DropoutSpec lrp(Settings s) {
    return new LrpGuidedDropout(
        fixedRate(s),
        importance(
            ImportanceGuidedParameters.lrpMeasure(s),
            s,
            "epsilon",
            "gamma",
            "target",
            "steps",
            "path"),
        LrpGuidedDropout.Selection.valueOf(
            ImportanceGuidedParameters.select(s).toUpperCase(Locale.ROOT)),
        s.oneOf("mode", "batch", "example").equals("example"),
        s.oneOf("timing", "after", "current").equals("after"),
        (float) s.number("tau"),
        LrpGuidedDropout.Scale.valueOf(s.oneOf("scale", "uniform", "ema").toUpperCase(Locale.ROOT)),
        (float) s.number("alpha"),
        examples(s),
        (float) s.number("bias"));
  }

  private static DropoutSpec yDrop(Settings s) {
    String measure = s.text("importance");
    // The paper's conductance takes nc steps (nc < 1 is refused by Y-Drop, naming nc).
    Map<String, String> fixed =
        measure.equals("conductance")
            ? Map.of("steps", String.valueOf(Math.max(1, s.integer("nc"))))
            : Map.of();
    ImportanceSpec importance = importance(measure, s, fixed, "target", "path", "epsilon", "gamma");
    return new YDrop(
        (float) s.number("alpha"),
        s.integer("k"),
        s.integer("nc"),
        (float) s.number("ws"),
        (float) s.number("mul"),
        (float) s.number("muh"),
        (float) s.number("sigma"),
        (float) s.number("p0"),
        (float) s.number("maxl"),
        (float) s.number("maxh"),
        importance);
  }

  private static DropoutSpec pfid(Settings s) {
    return new PfidDropout(
        (float) s.number("alpha"),
        importance(s.text("importance"), s, "target", "steps", "path", "epsilon", "gamma"),
        PfidDropout.Form.valueOf(
            s.oneOf("form", "linear", "eq13", "compounded").toUpperCase(Locale.ROOT)),
        (float) s.number("r0"),
        (float) s.number("lambda"),
        (float) s.number("kappa"),
        (float) s.number("theta"),
        s.oneOf("update", "step", "epoch").equals("epoch"),
        (float) s.number("mean"),
        (float) s.number("max"),
        examples(s));
  }

  /**
   * An importance measure named {@code name}, with the listed keys of {@code s} as its settings.
   */
  private static ImportanceSpec importance(String name, Settings s, String... keys) {
    return importance(name, s, Map.of(), keys);
  }

  /** As {@link #importance(String, Settings, String...)}, with {@code fixed} settings too. */
  private static ImportanceSpec importance(
      String name, Settings s, Map<String, String> fixed, String... keys) {
    Map<String, String> settings = new LinkedHashMap<>(fixed);
    for (String key : keys) {
      if (s.containsKey(key)) {
        settings.put(key, s.get(key));
      }
    }
    try {
      return ImportanceSpec.of(name, settings);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(e.getMessage() + " (in " + s.where() + ")");
    }
  }

  /** {@code examples=N} or {@code examples=all} (the whole batch). */
  private static int examples(Settings s) {
    return s.text("examples").equals("all") ? Integer.MAX_VALUE : s.integer("examples");
  }
}
