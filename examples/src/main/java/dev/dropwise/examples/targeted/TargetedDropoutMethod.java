package dev.dropwise.examples.targeted;

import dev.dropwise.dropout.DropoutMethod;
import dev.dropwise.dropout.DropoutSpec;
import dev.dropwise.util.Registry;
import dev.dropwise.util.Settings;
import java.util.List;

/**
 * Registers {@link TargetedDropout} as {@code targeted:gamma=0.5,alpha=0.5}. Listed in {@code
 * META-INF/services/dev.dropwise.dropout.DropoutMethod}, so dropwise finds it whenever this jar is
 * on the classpath.
 */
public final class TargetedDropoutMethod implements DropoutMethod {
  static final String NAME = "targeted";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<String> aliases() {
    return List.of("targeted-dropout");
  }

  @Override
  public String summary() {
    return "targeted dropout (Gomez et al. 2019): only the gamma share of units with the smallest weight norms, each at rate alpha";
  }

  @Override
  public List<Registry.Parameter> parameters() {
    return List.of(
        // Both written in the text even at their defaults: they are what sets the method apart.
        new Registry.Parameter(
                "gamma", "0.5", "share of the layer's units that are candidates, in [0, 1]")
            .writtenAlways(),
        new Registry.Parameter("alpha", "0.5", "each candidate's drop rate, in [0, 1)")
            .writtenAlways());
  }

  @Override
  public DropoutSpec create(Settings settings) {
    Settings s = settings.bind(parameters()); // what is not written takes the default listed above
    return new TargetedDropout(s.number("gamma"), s.number("alpha"));
  }
}
