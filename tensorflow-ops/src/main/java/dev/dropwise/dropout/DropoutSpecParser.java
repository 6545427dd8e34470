package dev.dropwise.dropout;

import dev.dropwise.importance.ImportanceSpec;
import dev.dropwise.importance.Target;
import dev.dropwise.schedule.ScheduleParser;
import dev.dropwise.util.Settings;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

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
    Settings args = Settings.parse(colon < 0 ? "" : trimmed.substring(colon + 1), "dropout spec '" + trimmed + "'");
    switch (method) {
      case "none" -> {
        args.allowOnly(Set.of());
        return new NoDropout();
      }
      case "standard", "dropout", "bernoulli" -> {
        args.allowOnly(Set.of("p"));
        return new StandardDropout(args.number("p", "0.5"));
      }
      case "sector", "sector-wise", "sectorwise" -> {
        args.allowOnly(Set.of("n", "p", "mode"));
        String mode = args.getOrDefault("mode", "example");
        if (!mode.equals("example") && !mode.equals("batch")) {
          throw new IllegalArgumentException(
              "mode=" + mode + " in dropout spec '" + trimmed + "' is not allowed: use mode=example or mode=batch");
        }
        return new SectorWiseDropout(
            args.integer("n", "8"), args.number("p", "0.5"), mode.equals("batch"));
      }
      case "lrp", "lrp-guided", "lrp-official" -> {
        args.allowOnly(Set.of("p", "rule", "select", "mode", "timing", "tau", "scale", "alpha",
            "examples", "target", "epsilon", "gamma", "bias"));
        boolean official = method.equals("lrp-official");
        String select = args.choice("select", official ? "top" : "rank", "rank", "sample", "top", "low");
        boolean perExample = args.choice("mode", "batch", "batch", "example").equals("example");
        return new LrpGuidedDropout(
            args.number("p", official ? "0.5" : "0.35"),
            importance("lrp-" + args.getOrDefault("rule", "eps"), args, "epsilon", "gamma", "target"),
            LrpGuidedDropout.Selection.valueOf(select.toUpperCase(Locale.ROOT)),
            perExample,
            args.choice("timing", perExample ? "current" : "after", "after", "current").equals("after"),
            (float) args.number("tau", "1"),
            LrpGuidedDropout.Scale.valueOf(args.choice("scale", official || !select.equals("sample") ? "uniform" : "ema",
                "uniform", "ema").toUpperCase(Locale.ROOT)),
            (float) args.number("alpha", "0.01"),
            examples(args, official ? "all" : "8"),
            (float) args.number("bias", select.equals("rank") ? "0.5" : "0"));
      }
      case "ydrop", "y-drop" -> {
        args.allowOnly(Set.of("alpha", "k", "nc", "ws", "mul", "muh", "sigma", "p0", "maxl", "maxh", "target"));
        return new YDrop(
            (float) args.number("alpha", "0.01"), args.integer("k", "1"),
            args.integer("nc", "5"), (float) args.number("ws", "0.5"),
            (float) args.number("mul", "0.1"), (float) args.number("muh", "0.6"),
            (float) args.number("sigma", "0.05"), (float) args.number("p0", "0.35"),
            (float) args.number("maxl", "0.25"), (float) args.number("maxh", "0.75"),
            Target.parse(args.getOrDefault("target", "predicted")));
      }
      case "pfid", "pfid-paper" -> {
        args.allowOnly(Set.of("alpha", "importance", "form", "r0", "lambda", "kappa", "theta", "update",
            "mean", "max", "examples", "target", "steps", "epsilon", "gamma"));
        boolean paper = method.equals("pfid-paper");
        PfidDropout.Form form = PfidDropout.Form.valueOf(
            args.choice("form", "linear", "linear", "eq13", "compounded").toUpperCase(Locale.ROOT));
        return new PfidDropout(
            (float) args.number("alpha", "0.5"),
            importance(args.getOrDefault("importance", "gradient"), args, "target", "steps", "epsilon", "gamma"),
            form,
            (float) args.number("r0", "0.5"), (float) args.number("lambda", "1"),
            (float) args.number("kappa", "1"), (float) args.number("theta", "1"),
            args.choice("update", "step", "step", "epoch").equals("epoch"),
            (float) args.number("mean", paper || form == PfidDropout.Form.COMPOUNDED ? "0" : "0.5"),
            (float) args.number("max", paper ? "1" : "0.9"),
            examples(args, paper ? "all" : "8"));
      }
      case "dropconnect" -> {
        args.allowOnly(Set.of("p"));
        return new DropConnect(args.number("p", "0.5"));
      }
      case "alpha", "alpha-dropout" -> {
        args.allowOnly(Set.of("p"));
        return new AlphaDropout(args.number("p", "0.1"));
      }
      case "spatial", "spatial-dropout" -> {
        args.allowOnly(Set.of("p"));
        return new SpatialDropout(args.number("p", "0.1"));
      }
      case "dropblock" -> {
        args.allowOnly(Set.of("p", "block", "ramp"));
        return new DropBlock(args.number("p", "0.1"), args.integer("block", "3"),
            args.number("ramp", "0"));
      }
      case "spatially-aware", "spatial-aware" -> {
        args.allowOnly(Set.of("p", "protect", "window"));
        return new SpatiallyAwareDropout(args.number("p", "0.1"), args.number("protect", "0.5"),
            args.integer("window", "3"));
      }
      case "scheduled" -> {
        String schedule = args.getOrDefault("schedule", "adaptive");
        Set<String> keys = new HashSet<>(ScheduleParser.keys(schedule));
        keys.add("schedule");
        args.allowOnly(keys);
        return new ScheduledDropout(ScheduleParser.parse(schedule, args));
      }
      default -> throw new IllegalArgumentException(
          "unknown dropout method '" + method + "' in '" + trimmed + "'; allowed: none, standard, sector, lrp, "
              + "lrp-official, ydrop, pfid, pfid-paper, scheduled, alpha, dropconnect, spatial, dropblock, spatially-aware");
    }
  }

  /** An importance measure named {@code name}, with the listed keys of {@code args} as its settings. */
  private static ImportanceSpec importance(String name, Settings args, String... keys) {
    Map<String, String> settings = new LinkedHashMap<>();
    for (String key : keys) {
      if (args.containsKey(key)) {
        settings.put(key, args.get(key));
      }
    }
    try {
      return ImportanceSpec.of(name, settings);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(e.getMessage() + " (in " + args.where() + ")");
    }
  }

  /** {@code examples=N} or {@code examples=all} (the whole batch). */
  private static int examples(Settings args, String fallback) {
    return args.getOrDefault("examples", fallback).equals("all") ? Integer.MAX_VALUE : args.integer("examples", fallback);
  }
}
