package dev.dropwise.export;

import dev.dropwise.data.Npy;
import java.nio.file.Path;

/**
 * Run in a separate JVM by {@link SavedModelRoundTripTest}: loads a SavedModel, predicts the inputs
 * of an .npy file and writes logits and probabilities as .npy.
 */
public final class ServingProbe {
  private ServingProbe() {}

  public static void main(String[] args) throws Exception {
    Path model = Path.of(args[0]);
    Npy.Array input = Npy.read(Path.of(args[1]));
    int count = (int) input.shape()[0];
    try (ServingModel serving = ServingModel.load(model)) {
      ServingModel.Prediction p = serving.predict(input.data(), count);
      Npy.write(Path.of(args[2]), p.logits(), count, p.classes());
      Npy.write(Path.of(args[3]), p.probabilities(), count, p.classes());
    }
  }
}
