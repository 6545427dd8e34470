package dev.dropwise.export;

import dev.dropwise.model.ModelGraph;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.SessionFunction;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/** A SavedModel written by {@link SavedModelExport}, loaded for inference through its signature. */
public final class ServingModel implements AutoCloseable {
  private final SavedModelBundle bundle;
  private final SessionFunction function;
  private final int inputs;

  private ServingModel(SavedModelBundle bundle) {
    this.bundle = bundle;
    this.function = bundle.function(SavedModelExport.SIGNATURE);
    this.inputs = (int) function.signature().getInputs().get(ModelGraph.INPUT).shape.size(1);
  }

  public static ServingModel load(Path dir) throws IOException {
    if (!Files.isRegularFile(dir.resolve("saved_model.pb"))) {
      throw new IOException("model directory " + dir + " holds no saved_model.pb");
    }
    return new ServingModel(SavedModelBundle.load(dir.toString(), "serve"));
  }

  /** Number of input features. */
  public int inputs() {
    return inputs;
  }

  /** Logits and probabilities of {@code count} examples, each {@code [count * classes]}. */
  public record Prediction(float[] logits, float[] probabilities, int classes) {}

  public Prediction predict(float[] features, int count) {
    if (features.length != count * inputs) {
      throw new IllegalArgumentException(
          "features holds " + features.length + " values; " + count + " examples need " + count * inputs);
    }
    try (TFloat32 x = TFloat32.tensorOf(Shape.of(count, inputs), DataBuffers.of(features, true, false));
        Result r = function.call(Map.of(ModelGraph.INPUT, x))) {
      TFloat32 logits = (TFloat32) r.get(ModelGraph.LOGITS).orElseThrow();
      TFloat32 probabilities = (TFloat32) r.get(ModelGraph.PROBABILITIES).orElseThrow();
      return new Prediction(read(logits), read(probabilities), (int) logits.shape().size(1));
    }
  }

  private static float[] read(TFloat32 t) {
    float[] out = new float[(int) t.size()];
    t.copyTo(DataBuffers.of(out, false, false));
    return out;
  }

  @Override
  public void close() {
    bundle.close();
  }
}
