package dev.dropwise.model;

import dev.dropwise.dropout.DropoutMethods;
import dev.dropwise.dropout.DropoutSpec;
import dev.dropwise.network.Activation;
import dev.dropwise.network.Initializer;
import dev.dropwise.network.RecurrentCell;
import dev.dropwise.util.CanonicalText;
import dev.dropwise.util.Nesting;
import dev.dropwise.util.Registry;
import dev.dropwise.util.Registry.Described;
import dev.dropwise.util.Registry.Parameter;
import dev.dropwise.util.Settings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The layer kinds and their texts, on the grammar of every spec (the README's): a layer is written
 * {@code NAME(key=value,...)} like a schedule, {@code dense(units=256,activation=tanh)}, with the
 * settings that differ from the defaults; {@code dropout(METHOD)} holds a method's text. The forms
 * of earlier versions read as abbreviations, their values in the parameters' order: {@code
 * dense:256:tanh}, {@code conv:32x3s2} (filters x size, stride), {@code lstm:64:seq}, {@code
 * pool:2}, {@code bn:0.99:0.001}, and a bare number for a Dense layer.
 */
final class Layers {
  private Layers() {}

  private static Parameter p(String name, String defaultValue, String doc) {
    return new Parameter(name, defaultValue, doc);
  }

  private static final Parameter ACTIVATION =
      p("activation", LayerSpec.HIDDEN_ACTIVATION, "relu, tanh, sigmoid, selu, linear, ...");
  private static final Parameter INIT =
      p(
          "init",
          LayerSpec.HIDDEN_INITIALIZER,
          "he-uniform, he-normal, glorot-uniform, glorot-normal, orthogonal");

  private static final Registry<LayerSpec> REGISTRY =
      new Registry<>(
          "layer",
          List.of(
              new Described<>(
                  "dense",
                  List.of(),
                  "a fully connected layer",
                  List.of(Parameter.required("units", "units, >= 1"), ACTIVATION, INIT),
                  s ->
                      new LayerSpec.Dense(
                          s.integer("units"),
                          Activation.parse(s.text("activation")),
                          Initializer.parse(s.text("init")))),
              new Described<>(
                  "conv",
                  List.of(),
                  "a 2-D convolution, padding SAME",
                  List.of(
                      Parameter.required("filters", "output channels, >= 1"),
                      Parameter.required("size", "the kernel's side, >= 1"),
                      p("stride", "1", "the step between windows, >= 1"),
                      ACTIVATION,
                      INIT),
                  s ->
                      new LayerSpec.Conv2D(
                          s.integer("filters"),
                          s.integer("size"),
                          s.integer("stride"),
                          Activation.parse(s.text("activation")),
                          Initializer.parse(s.text("init")))),
              recurrent(RecurrentCell.LSTM),
              recurrent(RecurrentCell.GRU),
              new Described<>(
                  "pool",
                  List.of(),
                  "max pooling over size x size windows, stride size",
                  List.of(Parameter.required("size", "the window's side, >= 1")),
                  s -> new LayerSpec.MaxPool(s.integer("size"))),
              new Described<>(
                  "bn",
                  List.of(),
                  "batch normalisation of the layer before, before its activation",
                  List.of(
                      p(
                          "momentum",
                          CanonicalText.value(LayerSpec.BatchNorm.DEFAULT.momentum()),
                          "the moving averages' momentum, in [0, 1)"),
                      p(
                          "epsilon",
                          CanonicalText.value(LayerSpec.BatchNorm.DEFAULT.epsilon()),
                          "added to the variance, > 0")),
                  s -> new LayerSpec.BatchNorm(s.number("momentum"), s.number("epsilon"))),
              new Described<>(
                  "flatten",
                  List.of(),
                  "a feature map as a flat vector",
                  List.of(),
                  s -> new LayerSpec.Flatten())));

  /** {@code lstm} or {@code gru}: units, what it returns, the input kernel's initialiser. */
  private static Described<LayerSpec> recurrent(RecurrentCell cell) {
    return new Described<>(
        cell.text(),
        List.of(),
        "a recurrent layer ("
            + cell.name()
            + ", Keras's gates) over a sequence; return=seq gives every step's output",
        List.of(
            Parameter.required("units", "units, >= 1"),
            p(
                "return",
                LayerSpec.Recurrent.LAST,
                LayerSpec.Recurrent.LAST
                    + " (the last step's output) or "
                    + LayerSpec.Recurrent.SEQUENCES
                    + " (every step's)"),
            p(
                "init",
                LayerSpec.Recurrent.DEFAULT_INITIALIZER.text(),
                "the input kernel's initialiser"),
            p("input", "none", "dropout on the input's features, one mask per sequence"),
            p(
                "state",
                "none",
                "dropout on the previous output before the recurrent product, one mask per "
                    + "sequence (standard: variational dropout; ydrop, lrp, pfid: by importance)"),
            p("zoneout", "0", "the probability that a unit keeps its previous state, in [0, 1)"),
            p(
                "masks",
                "sequence",
                "sequence (one mask per sequence) or step (a fresh one per step)")),
        s ->
            new LayerSpec.Recurrent(
                cell,
                s.integer("units"),
                returnsSequences(s.text("return")),
                Initializer.parse(s.text("init")),
                new RecurrentDropout(
                    DropoutMethods.parseNested(s.text("input")),
                    DropoutMethods.parseNested(s.text("state")),
                    s.number("zoneout"),
                    perStep(s.text("masks")))));
  }

  private static boolean perStep(String value) {
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "step" -> true;
      case "sequence" -> false;
      default ->
          throw new IllegalArgumentException(
              "masks=" + value + " is not allowed: sequence or step");
    };
  }

  private static boolean returnsSequences(String value) {
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case LayerSpec.Recurrent.SEQUENCES -> true;
      case LayerSpec.Recurrent.LAST -> false;
      default ->
          throw new IllegalArgumentException(
              "return="
                  + value
                  + " is not allowed: "
                  + LayerSpec.Recurrent.LAST
                  + " or "
                  + LayerSpec.Recurrent.SEQUENCES);
    };
  }

  /** How the layers are written, for messages. */
  private static final String GRAMMAR =
      "write NAME(key=value,...): dense(units=256), conv(filters=32,size=3), lstm(units=128), "
          + "gru(units=64,return=seq), pool(size=2), bn, flatten, dropout(METHOD); or dense:256, "
          + "conv:32x3, lstm:64:seq, pool:2";

  /** The old form of a convolution's first value: filters x size, then s and the stride. */
  private static final Pattern CONV_SHAPE = Pattern.compile("(\\d+)x(\\d+)(?:s(\\d+))?");

  /** Reads one layer's text; see the class comment. */
  static LayerSpec parse(String text) {
    String trimmed = text.trim();
    if (trimmed.startsWith("dropout(") && trimmed.endsWith(")")) {
      return new LayerSpec.Dropout(
          DropoutSpec.parse(trimmed.substring("dropout(".length(), trimmed.length() - 1)));
    }
    if (trimmed.isEmpty()) {
      throw new IllegalArgumentException(
          "'' is not a layer (an empty item in a list?); " + GRAMMAR);
    }
    try {
      if (trimmed.matches("\\d+")) {
        return abbreviated(trimmed, "dense", List.of(trimmed));
      }
      if (trimmed.contains(":") && !trimmed.contains("(")) {
        List<String> parts = List.of(trimmed.toLowerCase(Locale.ROOT).split(":", -1));
        return abbreviated(trimmed, parts.get(0), parts.subList(1, parts.size()));
      }
      return Nesting.parseNested(REGISTRY, trimmed, null);
    } catch (IllegalArgumentException e) {
      // Where the name is no layer's, say how layers are written.
      throw e.getMessage().startsWith("unknown layer")
          ? new IllegalArgumentException(e.getMessage() + "; " + GRAMMAR, e)
          : e;
    }
  }

  /** {@code name} with {@code values} for its parameters in order (conv's first as FxS[sT]). */
  private static LayerSpec abbreviated(String text, String name, List<String> values) {
    String where = "layer '" + text + "'";
    Registry.Entry<LayerSpec> entry = REGISTRY.require(name.trim(), "'" + text + "'");
    List<String> keys = Registry.parameterNames(entry);
    List<String> given = values;
    if (entry.name().equals("conv") && !values.isEmpty()) {
      Matcher shape = CONV_SHAPE.matcher(values.get(0).trim());
      if (!shape.matches()) {
        throw new IllegalArgumentException(
            "conv's first value '"
                + values.get(0)
                + "' in "
                + where
                + " is not FILTERSxSIZE[sSTRIDE], e.g. 32x3 or 32x3s2");
      }
      given =
          new ArrayList<>(
              List.of(
                  shape.group(1), shape.group(2), shape.group(3) == null ? "1" : shape.group(3)));
      given.addAll(values.subList(1, values.size()));
    }
    if (given.size() > keys.size()) {
      int most = keys.size() - (given.size() - values.size()); // conv's first value holds three
      throw new IllegalArgumentException(
          values.size() + " values in " + where + ", which takes at most " + most);
    }
    Map<String, String> settings = new LinkedHashMap<>();
    for (int i = 0; i < given.size(); i++) {
      settings.put(keys.get(i), given.get(i).trim());
    }
    try {
      return entry.create(Settings.of(settings, where));
    } catch (IllegalArgumentException e) {
      throw e.getMessage().contains(where)
          ? e
          : new IllegalArgumentException(e.getMessage() + " (in " + where + ")", e);
    }
  }

  /** The canonical text of {@code layer} (not a dropout layer): {@code dense(units=256)}. */
  static String text(LayerSpec layer) {
    return CanonicalText.nested(
        REGISTRY.require(layer.name(), "the text of a layer"), layer.settings());
  }
}
