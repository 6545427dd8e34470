package dev.dropwise.export;

import dev.dropwise.util.Median;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * How fast an export serves: {@code serving_default} over the same number of examples per run
 * ({@link #EXAMPLES}, in batches), each run timed after one untimed run; the inputs are zeros,
 * since the time of a network without data-dependent branches does not depend on its inputs'
 * values. What a smaller, pruned model buys is read from the ratio of two such times.
 */
public final class ServingSpeed {
  private ServingSpeed() {}

  /** Examples each timed run predicts. */
  public static final int EXAMPLES = 2048;

  /**
   * The median milliseconds {@code model} takes for {@link #EXAMPLES} examples at {@code batch}.
   */
  public static double medianMs(ServingModel model, int batch, int repeats) {
    float[] x = new float[batch * model.inputs()];
    int calls = Math.max(1, EXAMPLES / batch);
    double[] times = new double[repeats];
    for (int r = -1; r < repeats; r++) {
      long start = System.nanoTime();
      for (int c = 0; c < calls; c++) {
        model.predict(x, batch);
      }
      if (r >= 0) {
        times[r] = (System.nanoTime() - start) / 1e6 * EXAMPLES / ((double) calls * batch);
      }
    }
    return Median.of(times);
  }

  /** Examples per second from {@link #medianMs}. */
  public static double examplesPerSecond(double medianMs) {
    return EXAMPLES / (medianMs / 1000);
  }

  /** The bytes of every file under {@code dir}: an export's size on disk. */
  public static long bytesOnDisk(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files
          .filter(Files::isRegularFile)
          .mapToLong(
              f -> {
                try {
                  return Files.size(f);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              })
          .sum();
    }
  }
}
