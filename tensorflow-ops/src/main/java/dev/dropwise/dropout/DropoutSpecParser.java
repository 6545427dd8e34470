package dev.dropwise.dropout;

import dev.dropwise.importance.ImportanceSpec;
import dev.dropwise.importance.Target;
import dev.dropwise.schedule.AdaptiveRate;
import dev.dropwise.schedule.AnnealedRate;
import dev.dropwise.schedule.ConstantRate;
import dev.dropwise.schedule.ContextualRate;
import dev.dropwise.schedule.CurriculumRate;
import dev.dropwise.schedule.DynamicAlphaRate;
import dev.dropwise.schedule.IntegratedRate;
import dev.dropwise.schedule.RateSchedule;
import dev.dropwise.util.KeyValues;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads dropout specs written {@code method[:key=value,...]}:
 *
 * <pre>
 *   none
 *   standard:p=0.5            (aliases: dropout, bernoulli)
 *   sector:n=8,p=0.5          (aliases: sector-wise, sectorwise; mode=example|batch)
 *   lrp:p=0.35,rule=eps       LRP-guided; select=rank|sample|top|low, bias, mode=batch|example, timing=after|current,
 *                             tau, scale=ema|uniform, alpha, examples, target, epsilon, gamma
 *   lrp-official:p=0.5        the official code's configuration (select=top, scale=uniform)
 *   ydrop:alpha=0.01,K=1      Y-Drop; nc, ws, muL, muH, sigma, p0, maxL, maxH, target
 *   pfid:alpha=0.5,importance=gradient   PFID; form=linear|eq13|compounded, r0, lambda, kappa, theta,
 *                             update=step|epoch, mean, max, examples, target
 *   pfid-paper:alpha=0.5      the lemma's rates as written (no mean calibration, max=1)
 *   alpha:p=0.1               Alpha dropout for SELU networks
 *   dropconnect:p=0.5         DropConnect on the next Dense layer's weights
 *   spatial:p=0.1             SpatialDropout: whole channels of a feature map
 *   dropblock:p=0.1,block=3   DropBlock: block x block squares; ramp (keep-probability schedule)
 *   spatially-aware:p=0.1     drops the less prominent positions of a map; protect=0.5, window=3
 *   scheduled:schedule=adaptive,r0=0.5   standard dropout at a scheduled rate; schedules: constant (r),
 *                             adaptive (r0, alpha, thetadepth, thetaepoch, reading=prose|written),
 *                             dynamic-alpha (adaptive's and delta, lambda), contextual (r0, theta, phi,
 *                             psi, tmid), annealed (start, end, epochs), curriculum (r, gamma),
 *                             integrated (of=a+b+..., eta; the parts with their defaults)
 * </pre>
 *
 * Every mistake is reported with the offending text and what is allowed.
 */
public final class DropoutSpecParser {
  private DropoutSpecParser() {}

  public static DropoutSpec parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("dropout spec is empty; allowed: none, standard:p=P, sector:n=N,p=P");
    }
    String trimmed = text.trim();
    int colon = trimmed.indexOf(':');
    String method = (colon < 0 ? trimmed : trimmed.substring(0, colon)).toLowerCase(Locale.ROOT);
    Map<String, String> args = arguments(trimmed, colon < 0 ? "" : trimmed.substring(colon + 1));
    switch (method) {
      case "none" -> {
        allowOnly(trimmed, args, Set.of());
        return new NoDropout();
      }
      case "standard", "dropout", "bernoulli" -> {
        allowOnly(trimmed, args, Set.of("p"));
        return new StandardDropout(number(trimmed, args, "p", "0.5"));
      }
      case "sector", "sector-wise", "sectorwise" -> {
        allowOnly(trimmed, args, Set.of("n", "p", "mode"));
        String mode = args.getOrDefault("mode", "example");
        if (!mode.equals("example") && !mode.equals("batch")) {
          throw new IllegalArgumentException(
              "mode=" + mode + " in dropout spec '" + trimmed + "' is not allowed: use mode=example or mode=batch");
        }
        return new SectorWiseDropout(
            integer(trimmed, args, "n", "8"), number(trimmed, args, "p", "0.5"), mode.equals("batch"));
      }
      case "lrp", "lrp-guided", "lrp-official" -> {
        allowOnly(trimmed, args, Set.of("p", "rule", "select", "mode", "timing", "tau", "scale", "alpha",
            "examples", "target", "epsilon", "gamma", "bias"));
        boolean official = method.equals("lrp-official");
        String select = choice(trimmed, args, "select", official ? "top" : "rank", "rank", "sample", "top", "low");
        boolean perExample = choice(trimmed, args, "mode", "batch", "batch", "example").equals("example");
        return new LrpGuidedDropout(
            number(trimmed, args, "p", official ? "0.5" : "0.35"),
            importance(trimmed, "lrp-" + args.getOrDefault("rule", "eps"), args, "epsilon", "gamma", "target"),
            LrpGuidedDropout.Selection.valueOf(select.toUpperCase(Locale.ROOT)),
            perExample,
            choice(trimmed, args, "timing", perExample ? "current" : "after", "after", "current").equals("after"),
            (float) number(trimmed, args, "tau", "1"),
            LrpGuidedDropout.Scale.valueOf(choice(trimmed, args, "scale", official || !select.equals("sample") ? "uniform" : "ema",
                "uniform", "ema").toUpperCase(Locale.ROOT)),
            (float) number(trimmed, args, "alpha", "0.01"),
            examples(trimmed, args, official ? "all" : "8"),
            (float) number(trimmed, args, "bias", select.equals("rank") ? "0.5" : "0"));
      }
      case "ydrop", "y-drop" -> {
        allowOnly(trimmed, args, Set.of("alpha", "k", "nc", "ws", "mul", "muh", "sigma", "p0", "maxl", "maxh", "target"));
        return new YDrop(
            (float) number(trimmed, args, "alpha", "0.01"), integer(trimmed, args, "k", "1"),
            integer(trimmed, args, "nc", "5"), (float) number(trimmed, args, "ws", "0.5"),
            (float) number(trimmed, args, "mul", "0.1"), (float) number(trimmed, args, "muh", "0.6"),
            (float) number(trimmed, args, "sigma", "0.05"), (float) number(trimmed, args, "p0", "0.35"),
            (float) number(trimmed, args, "maxl", "0.25"), (float) number(trimmed, args, "maxh", "0.75"),
            Target.parse(args.getOrDefault("target", "predicted")));
      }
      case "pfid", "pfid-paper" -> {
        allowOnly(trimmed, args, Set.of("alpha", "importance", "form", "r0", "lambda", "kappa", "theta", "update",
            "mean", "max", "examples", "target", "steps", "epsilon", "gamma"));
        boolean paper = method.equals("pfid-paper");
        PfidDropout.Form form = PfidDropout.Form.valueOf(
            choice(trimmed, args, "form", "linear", "linear", "eq13", "compounded").toUpperCase(Locale.ROOT));
        return new PfidDropout(
            (float) number(trimmed, args, "alpha", "0.5"),
            importance(trimmed, args.getOrDefault("importance", "gradient"), args, "target", "steps", "epsilon", "gamma"),
            form,
            (float) number(trimmed, args, "r0", "0.5"), (float) number(trimmed, args, "lambda", "1"),
            (float) number(trimmed, args, "kappa", "1"), (float) number(trimmed, args, "theta", "1"),
            choice(trimmed, args, "update", "step", "step", "epoch").equals("epoch"),
            (float) number(trimmed, args, "mean", paper || form == PfidDropout.Form.COMPOUNDED ? "0" : "0.5"),
            (float) number(trimmed, args, "max", paper ? "1" : "0.9"),
            examples(trimmed, args, paper ? "all" : "8"));
      }
      case "dropconnect" -> {
        allowOnly(trimmed, args, Set.of("p"));
        return new DropConnect(number(trimmed, args, "p", "0.5"));
      }
      case "alpha", "alpha-dropout" -> {
        allowOnly(trimmed, args, Set.of("p"));
        return new AlphaDropout(number(trimmed, args, "p", "0.1"));
      }
      case "spatial", "spatial-dropout" -> {
        allowOnly(trimmed, args, Set.of("p"));
        return new SpatialDropout(number(trimmed, args, "p", "0.1"));
      }
      case "dropblock" -> {
        allowOnly(trimmed, args, Set.of("p", "block", "ramp"));
        return new DropBlock(number(trimmed, args, "p", "0.1"), integer(trimmed, args, "block", "3"),
            number(trimmed, args, "ramp", "0"));
      }
      case "spatially-aware", "spatial-aware" -> {
        allowOnly(trimmed, args, Set.of("p", "protect", "window"));
        return new SpatiallyAwareDropout(number(trimmed, args, "p", "0.1"), number(trimmed, args, "protect", "0.5"),
            integer(trimmed, args, "window", "3"));
      }
      case "scheduled" -> {
        String schedule = args.getOrDefault("schedule", "adaptive");
        allowOnly(trimmed, args, scheduleKeys(schedule));
        return new ScheduledDropout(schedule(trimmed, schedule, args));
      }
      default -> throw new IllegalArgumentException(
          "unknown dropout method '" + method + "' in '" + trimmed + "'; allowed: none, standard, sector, lrp, "
              + "lrp-official, ydrop, pfid, pfid-paper, scheduled, alpha, dropconnect, spatial, dropblock, spatially-aware");
    }
  }

  private static Set<String> scheduleKeys(String schedule) {
    Set<String> keys = new HashSet<>(Set.of("schedule"));
    switch (schedule) {
      case "constant" -> keys.add("r");
      case "adaptive" -> keys.addAll(Set.of("r0", "alpha", "thetadepth", "thetaepoch", "reading"));
      case "dynamic-alpha" -> keys.addAll(Set.of("r0", "alpha", "thetadepth", "thetaepoch", "reading", "delta", "lambda"));
      case "contextual" -> keys.addAll(Set.of("r0", "theta", "phi", "psi", "tmid"));
      case "annealed" -> keys.addAll(Set.of("start", "end", "epochs"));
      case "curriculum" -> keys.addAll(Set.of("r", "gamma"));
      case "integrated" -> keys.addAll(Set.of("of", "eta"));
      default -> { }
    }
    return keys;
  }

  private static RateSchedule schedule(String spec, String name, Map<String, String> args) {
    return switch (name) {
      case "constant" -> new ConstantRate(number(spec, args, "r", "0.5"));
      case "adaptive" -> adaptive(spec, args);
      case "dynamic-alpha" -> new DynamicAlphaRate(adaptive(spec, args),
          number(spec, args, "delta", "5"), number(spec, args, "lambda", "0.4"));
      case "contextual" -> new ContextualRate(number(spec, args, "r0", "0.5"),
          number(spec, args, "theta", "5"), number(spec, args, "phi", "1"), number(spec, args, "psi", "1"),
          args.containsKey("tmid") ? number(spec, args, "tmid", "0") : null);
      case "annealed" -> new AnnealedRate(number(spec, args, "start", "0.5"),
          number(spec, args, "end", "0.1"), integer(spec, args, "epochs", "5"));
      case "curriculum" -> new CurriculumRate(number(spec, args, "r", "0.5"),
          number(spec, args, "gamma", "1"));
      case "integrated" -> {
        List<RateSchedule> parts = new ArrayList<>();
        for (String part : args.getOrDefault("of", "adaptive+contextual+curriculum").split("\\+")) {
          if (part.equals("integrated")) {
            throw new IllegalArgumentException("of=" + args.get("of") + " in dropout spec '" + spec + "': integrated cannot contain itself");
          }
          parts.add(schedule(spec, part.trim(), Map.of()));
        }
        yield new IntegratedRate(parts, number(spec, args, "eta", "5"));
      }
      default -> throw new IllegalArgumentException("schedule=" + name + " in dropout spec '" + spec
          + "' is not allowed; use constant, adaptive, dynamic-alpha, contextual, annealed, curriculum or integrated");
    };
  }

  private static AdaptiveRate adaptive(String spec, Map<String, String> args) {
    return new AdaptiveRate(number(spec, args, "r0", "0.5"), number(spec, args, "alpha", "0.5"),
        number(spec, args, "thetadepth", "1"), number(spec, args, "thetaepoch", "1"),
        choice(spec, args, "reading", "prose", "prose", "written").equals("prose")
            ? AdaptiveRate.Reading.PROSE : AdaptiveRate.Reading.AS_WRITTEN);
  }

  private static Map<String, String> arguments(String spec, String list) {
    return KeyValues.parse(list, "dropout spec '" + spec + "'");
  }

  private static void allowOnly(String spec, Map<String, String> args, Set<String> allowed) {
    for (String key : args.keySet()) {
      if (!allowed.contains(key)) {
        throw new IllegalArgumentException(
            "unknown parameter '" + key + "' in dropout spec '" + spec + "'; allowed: "
                + (allowed.isEmpty() ? "none" : String.join(", ", new TreeSet<>(allowed))));
      }
    }
  }

  private static String choice(String spec, Map<String, String> args, String key, String fallback, String... allowed) {
    String value = args.getOrDefault(key, fallback).toLowerCase(Locale.ROOT);
    if (!Arrays.asList(allowed).contains(value)) {
      throw new IllegalArgumentException(key + "=" + value + " in dropout spec '" + spec + "' is not allowed; use "
          + String.join(" or ", allowed));
    }
    return value;
  }

  /** An importance measure named {@code name}, with the listed keys of {@code args} as its settings. */
  private static ImportanceSpec importance(
      String spec, String name, Map<String, String> args, String... keys) {
    Map<String, String> settings = new LinkedHashMap<>();
    for (String key : keys) {
      if (args.containsKey(key)) {
        settings.put(key, args.get(key));
      }
    }
    try {
      return ImportanceSpec.of(name, settings);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(e.getMessage() + " (in dropout spec '" + spec + "')");
    }
  }

  private static double number(String spec, Map<String, String> args, String key, String fallback) {
    String value = args.getOrDefault(key, fallback);
    try {
      return Double.parseDouble(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          key + "=" + value + " in dropout spec '" + spec + "' is not a number");
    }
  }

  /** {@code examples=N} or {@code examples=all} (the whole batch). */
  private static int examples(String spec, Map<String, String> args, String fallback) {
    return args.getOrDefault("examples", fallback).equals("all") ? Integer.MAX_VALUE : integer(spec, args, "examples", fallback);
  }

  private static int integer(String spec, Map<String, String> args, String key, String fallback) {
    String value = args.getOrDefault(key, fallback);
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          key + "=" + value + " in dropout spec '" + spec + "' is not an integer");
    }
  }
}
