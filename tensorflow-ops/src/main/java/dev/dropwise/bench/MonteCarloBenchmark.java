package dev.dropwise.bench;

import dev.dropwise.data.Dataset;
import dev.dropwise.export.MonteCarlo;
import dev.dropwise.export.SavedModelExport;
import dev.dropwise.export.ServingModel;
import dev.dropwise.model.ModelSpec;
import dev.dropwise.model.ServingGraph;
import dev.dropwise.train.ModelSession;
import dev.dropwise.train.OptimizerSpec;
import dev.dropwise.train.RunSeeds;
import dev.dropwise.util.AtomicFiles;
import dev.dropwise.util.Median;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The throughput of Monte Carlo dropout through an export of {@code spec} (its initial weights: the
 * time does not depend on them): {@code samples} passes over the same examples, one pass per
 * session call ({@code mc_dropout}) against {@link ServingGraph#MC_PASSES} per call ({@code
 * mc_dropout_passes}), each timed {@code repeats} times in turn after one untimed run of each; the
 * two give the same passes bit for bit, so only the time differs. A third row times as many
 * dropout-free passes through {@code serving_default}, one per call: the arithmetic of the whole
 * network without masks, against which to read the others (where the examples are many, the time is
 * the matrix products', and only the part before the first dropout layer can be shared).
 */
public final class MonteCarloBenchmark {
  private MonteCarloBenchmark() {}

  /** One way of running the passes: its name and the median of its repeats, in milliseconds. */
  public record Row(String path, int callsPerRun, double medianMs) {}

  /** The three rows: one pass per call, ten per call, dropout-free passes. */
  public static List<Row> run(ModelSpec spec, Dataset examples, int samples, int repeats)
      throws IOException {
    Path dir = Files.createTempDirectory("dropwise-mc-bench");
    try {
      Path model = dir.resolve("model");
      try (ModelSession session =
          new ModelSession(spec, new OptimizerSpec.Momentum(0.01f, 0.9f), RunSeeds.from(1))) {
        SavedModelExport.export(session, model);
      }
      try (ServingModel serving = ServingModel.load(model)) {
        float[] x = examples.features();
        int n = examples.size();
        serving.predictMonteCarloPassByPass(x, n, samples);
        serving.predictMonteCarlo(x, n, samples);
        serving.predict(x, n);
        double[] single = new double[repeats];
        double[] batched = new double[repeats];
        double[] plain = new double[repeats];
        for (int r = 0; r < repeats; r++) {
          long start = System.nanoTime();
          MonteCarlo a = serving.predictMonteCarloPassByPass(x, n, samples);
          single[r] = (System.nanoTime() - start) / 1e6;
          start = System.nanoTime();
          MonteCarlo b = serving.predictMonteCarlo(x, n, samples);
          batched[r] = (System.nanoTime() - start) / 1e6;
          if (!Arrays.equals(a.mean(), b.mean())) {
            throw new IllegalStateException("the two ways gave different passes");
          }
          start = System.nanoTime();
          for (int k = 0; k < samples; k++) {
            serving.predict(x, n);
          }
          plain[r] = (System.nanoTime() - start) / 1e6;
        }
        int perCall = ServingGraph.MC_PASSES;
        return List.of(
            new Row("one pass per call (mc_dropout)", samples, Median.of(single)),
            new Row(
                perCall + " passes per call (mc_dropout_passes)",
                (samples + perCall - 1) / perCall,
                Median.of(batched)),
            new Row("no dropout, one pass per call (serving_default)", samples, Median.of(plain)));
      }
    } finally {
      AtomicFiles.deleteRecursively(dir);
    }
  }
}
