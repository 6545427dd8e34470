package dev.dropwise.model;

import dev.dropwise.dropout.DropoutMethods;
import dev.dropwise.dropout.DropoutSpec;
import dev.dropwise.dropout.NoDropout;
import dev.dropwise.util.Registry;
import dev.dropwise.util.Settings;
import java.util.List;
import java.util.Map;

/**
 * Dropout inside a recurrent layer, where a mask drawn afresh at every step would erase what the
 * layer remembers:
 *
 * <ul>
 *   <li>{@code input}: a method on the input's features, {@code state}: on the previous output
 *       {@code h_{t−1}} before it enters the recurrent product — each mask drawn once per sequence
 *       and shared by its steps (with standard dropout on both, the variational dropout of Gal and
 *       Ghahramani 2016); {@code state} takes the importance-guided methods too (Y-Drop,
 *       LRP-guided, PFID), ranking the units by their importance summed over the steps;
 *   <li>{@code perStep}: a fresh mask at every step instead (on the input, the dropout of Zaremba
 *       et al. 2014; on the state, what the variational form was made to avoid), for the methods
 *       that draw from a seed alone;
 *   <li>{@code zoneout}: each unit keeps its previous state ({@code h} and an LSTM's {@code c})
 *       with probability p at every step, a fresh draw per step (Krueger et al. 2017); at inference
 *       the expectation {@code p·previous + (1 − p)·new}, part of the served network.
 * </ul>
 */
public record RecurrentDropout(
    DropoutSpec input, DropoutSpec state, double zoneout, boolean perStep) {

  /** No dropout inside the layer. */
  public static final RecurrentDropout NONE =
      new RecurrentDropout(new NoDropout(), new NoDropout(), 0, false);

  /** Refuses a method a recurrent layer cannot run, and a zoneout outside [0, 1). */
  public RecurrentDropout {
    check("input", input, false, perStep);
    check("state", state, true, perStep);
    if (!(zoneout >= 0 && zoneout < 1)) {
      throw new IllegalArgumentException(
          "zoneout=" + zoneout + " is not allowed: it must be in [0, 1)");
    }
  }

  /** Whether anything drops inside the layer while training. */
  public boolean any() {
    return !(input instanceof NoDropout) || !(state instanceof NoDropout) || zoneout > 0;
  }

  /** Whether an exported model can sample this in its Monte Carlo signature: seeded masks only. */
  public boolean monteCarloAtServing() {
    return input.monteCarloAtServing() && state.monteCarloAtServing();
  }

  /**
   * Whether {@code method} can run on a recurrent layer's {@code part} ("input" or "state"): it
   * multiplies the units by its mask, has no rate schedule, and — on the input (which has no
   * importance scores), or with a fresh mask per step — draws its mask from a seed alone.
   */
  static boolean runsOn(DropoutSpec method, boolean state, boolean perStep) {
    if (method instanceof NoDropout) {
      return true;
    }
    boolean seeded = method.monteCarloAtServing();
    return method.multipliesUnits()
        && method.rateSchedule().isEmpty()
        && (seeded || (state && !perStep));
  }

  private static void check(String part, DropoutSpec method, boolean state, boolean perStep) {
    if (runsOn(method, state, perStep)) {
      return;
    }
    List<String> can =
        DropoutMethods.all().stream()
            .filter(m -> defaultOf(m) != null && runsOn(defaultOf(m), state, perStep))
            .map(Registry.Entry::name)
            .toList();
    throw new IllegalArgumentException(
        part
            + "="
            + method.text()
            + " cannot run inside a recurrent layer"
            + (perStep ? " with a mask per step" : "")
            + ": "
            + (method.rateSchedule().isPresent()
                ? "a rate schedule is not fed there"
                : method.multipliesUnits()
                    ? (state ? "it needs" : "on the input it would need")
                        + " importance scores"
                        + (state ? " for every step" : ", and the input has none")
                    : "it does not only multiply the units by a mask")
            + "; "
            + part
            + " takes "
            + String.join(", ", can));
  }

  private static DropoutSpec defaultOf(Registry.Entry<DropoutSpec> method) {
    try {
      return method.create(Settings.of(Map.of(), method.name()));
    } catch (IllegalArgumentException needsSettings) {
      return null; // a method that needs settings is left out of the list
    }
  }

  /**
   * The settings off their defaults as a recurrent layer's text writes them ({@code
   * input=standard(p=0.25),state=ydrop}), or {@code none}.
   */
  public String text() {
    List<String> parts = new java.util.ArrayList<>();
    if (!(input instanceof NoDropout)) {
      parts.add("input=" + DropoutMethods.nestedText(input));
    }
    if (!(state instanceof NoDropout)) {
      parts.add("state=" + DropoutMethods.nestedText(state));
    }
    if (zoneout > 0) {
      parts.add("zoneout=" + dev.dropwise.util.CanonicalText.value(zoneout));
    }
    if (perStep) {
      parts.add("masks=step");
    }
    return parts.isEmpty() ? "none" : String.join(",", parts);
  }

  /** {@code key=text} of the settings that differ from {@link #NONE}, in the layer's text. */
  Map<String, Object> settings() {
    return Map.of(
        "input",
        DropoutMethods.nestedText(input),
        "state",
        DropoutMethods.nestedText(state),
        "zoneout",
        zoneout,
        "masks",
        perStep ? "step" : "sequence");
  }
}
