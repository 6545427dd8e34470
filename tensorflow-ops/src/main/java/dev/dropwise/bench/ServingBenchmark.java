package dev.dropwise.bench;

import dev.dropwise.export.ServingModel;
import dev.dropwise.export.ServingSpeed;
import dev.dropwise.model.ModelSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** How fast exports serve, side by side: {@link ServingSpeed} of each model at each batch size. */
public final class ServingBenchmark {
  private ServingBenchmark() {}

  /**
   * One model at one batch size: the median time of a run, the model's network and its size on
   * disk.
   */
  public record Row(Path model, ModelSpec network, int batch, double medianMs, long bytesOnDisk) {

    /** Examples served per second. */
    public double examplesPerSecond() {
      return ServingSpeed.examplesPerSecond(medianMs);
    }
  }

  /** Every model of {@code models} at every batch size of {@code batches}, in that order. */
  public static List<Row> run(List<Path> models, List<Integer> batches, int repeats)
      throws IOException {
    List<Row> rows = new ArrayList<>();
    for (Path dir : models) {
      long bytes = ServingSpeed.bytesOnDisk(dir);
      try (ServingModel model = ServingModel.load(dir)) {
        ModelSpec network = model.network();
        for (int batch : batches) {
          rows.add(
              new Row(dir, network, batch, ServingSpeed.medianMs(model, batch, repeats), bytes));
        }
      }
    }
    return rows;
  }
}
