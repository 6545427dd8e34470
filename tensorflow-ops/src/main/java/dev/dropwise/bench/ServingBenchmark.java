package dev.dropwise.bench;

import dev.dropwise.export.ServingModel;
import dev.dropwise.model.ModelSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * How fast exports serve: {@code serving_default} of each model, at each batch size, over the same
 * number of examples per run ({@link #EXAMPLES}, in batches), each run timed {@code repeats} times
 * after one untimed run; the inputs are zeros, since the time of a dense network does not depend on
 * its inputs' values. What a smaller, pruned model buys is read from the ratio of two rows.
 */
public final class ServingBenchmark {
  private ServingBenchmark() {}

  /** Examples each timed run predicts. */
  public static final int EXAMPLES = 2048;

  /**
   * One model at one batch size: the median time of a run, the model's network and its size on
   * disk.
   */
  public record Row(Path model, ModelSpec network, int batch, double medianMs, long bytesOnDisk) {

    /** Examples served per second. */
    public double examplesPerSecond() {
      return EXAMPLES / (medianMs / 1000);
    }
  }

  /** Every model of {@code models} at every batch size of {@code batches}, in that order. */
  public static List<Row> run(List<Path> models, List<Integer> batches, int repeats)
      throws IOException {
    List<Row> rows = new ArrayList<>();
    for (Path dir : models) {
      long bytes = bytes(dir);
      try (ServingModel model = ServingModel.load(dir)) {
        ModelSpec network = model.network();
        for (int batch : batches) {
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
          rows.add(new Row(dir, network, batch, MonteCarloBenchmark.median(times), bytes));
        }
      }
    }
    return rows;
  }

  private static long bytes(Path dir) throws IOException {
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
