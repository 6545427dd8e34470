package dev.dropwise.cli;

import dev.dropwise.dropout.DropoutSpec;
import dev.dropwise.dropout.NoDropout;
import dev.dropwise.model.Architecture;
import dev.dropwise.model.LayerSpec;
import dev.dropwise.model.RecurrentDropout;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ways to drop in a recurrent network that the benchmark's {@code --recurrent} mode times side
 * by side: nothing; standard dropout after the recurrent layers' output; variational dropout (one
 * mask per sequence on the input and on the state); zoneout; Y-Drop on the state, ranked by
 * conductance summed over the steps. Each arm is the user's layers with every recurrent layer's own
 * dropout replaced.
 */
final class RecurrentArms {
  /** The layers unless --layers is given: one LSTM of 128, the sequential Fashion-MNIST model. */
  static final String LAYERS = "lstm:128";

  /** An arm: the dropout inside every recurrent layer, and the dropout placed after the layers. */
  record Arm(RecurrentDropout inside, DropoutSpec after) {}

  /** The arms, by the name the table gives them. */
  static final Map<String, Arm> ARMS = arms();

  private static Map<String, Arm> arms() {
    DropoutSpec standard = DropoutSpec.parse("standard:p=0.25");
    Map<String, Arm> arms = new LinkedHashMap<>();
    arms.put("none", new Arm(RecurrentDropout.NONE, new NoDropout()));
    arms.put("standard after", new Arm(RecurrentDropout.NONE, standard));
    arms.put(
        "variational",
        new Arm(new RecurrentDropout(standard, standard, 0, false), new NoDropout()));
    arms.put(
        "zoneout",
        new Arm(
            new RecurrentDropout(new NoDropout(), new NoDropout(), 0.1, false), new NoDropout()));
    arms.put(
        "ydrop on state",
        new Arm(
            new RecurrentDropout(new NoDropout(), DropoutSpec.parse("ydrop"), 0, false),
            new NoDropout()));
    return arms;
  }

  private RecurrentArms() {}

  /** {@code architecture} with every recurrent layer's own dropout set to {@code inside}. */
  static Architecture with(Architecture architecture, RecurrentDropout inside) {
    if (!architecture.recurrent()) {
      throw new IllegalArgumentException(
          "--recurrent times recurrent layers, and --layers "
              + architecture.text()
              + " has none (e.g. "
              + LAYERS
              + ")");
    }
    List<LayerSpec> layers = new ArrayList<>();
    for (LayerSpec layer : architecture.hidden()) {
      layers.add(
          layer instanceof LayerSpec.Recurrent r
              ? new LayerSpec.Recurrent(r.cell(), r.units(), r.sequences(), r.initializer(), inside)
              : layer);
    }
    return new Architecture(layers, architecture.text());
  }

  /** Each arm's dropout, listed under the table. */
  static List<String> legend() {
    List<String> lines = new ArrayList<>();
    ARMS.forEach(
        (name, arm) ->
            lines.add(
                "  "
                    + name
                    + ": "
                    + (arm.inside().any()
                        ? "inside each recurrent layer, " + arm.inside().text()
                        : arm.after() instanceof NoDropout
                            ? "no dropout"
                            : "dropout(" + arm.after().text() + ") after the recurrent layers")));
    return lines;
  }
}
