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
import java.util.ArrayList;
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
 * the matrix products', and only the part before the first dropout layer can be shared). Shared
 * masks are timed apart, against their own baseline.
 */
public final class MonteCarloBenchmark {
  private MonteCarloBenchmark() {}

  /**
   * One way of running the passes: its name, the median of its repeats in milliseconds, and the row
   * it is read against (its index; a row against itself is a baseline).
   */
  public record Row(String path, int callsPerRun, double medianMs, int against) {}

  /**
   * The rows: one pass per call, ten per call, dropout-free passes; then, where the export draws
   * shared masks in one run, shared masks one example a call (as before that signature) against one
   * run for the batch.
   */
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
        int calls = (samples + perCall - 1) / perCall;
        List<Row> rows = new ArrayList<>();
        rows.add(new Row("one pass per call (mc_dropout)", samples, Median.of(single), 0));
        rows.add(
            new Row(
                perCall + " passes per call (mc_dropout_passes)", calls, Median.of(batched), 0));
        rows.add(
            new Row(
                "no dropout, one pass per call (serving_default)", samples, Median.of(plain), 0));
        if (serving.sharesMasksInOneRun()) {
          double[][] shared = shared(serving, x, n, samples, repeats);
          rows.add(
              new Row(
                  "shared masks, an example at a time (mc_dropout_passes)",
                  n * calls,
                  Median.of(shared[0]),
                  3));
          rows.add(
              new Row(
                  "shared masks, the batch at once (mc_dropout_shared_passes)",
                  calls,
                  Median.of(shared[1]),
                  3));
        }
        return rows;
      }
    } finally {
      AtomicFiles.deleteRecursively(dir);
    }
  }

  /**
   * The times of shared masks drawn an example at a time (each example its own calls, the path of
   * exports without the one-run signature) and for the batch at once, in turn, after one untimed
   * run of each.
   */
  private static double[][] shared(
      ServingModel serving, float[] x, int n, int samples, int repeats) {
    double[][] times = new double[2][repeats];
    for (int r = -1; r < repeats; r++) {
      long start = System.nanoTime();
      for (int i = 0; i < n; i++) {
        serving.predictMonteCarlo(
            Arrays.copyOfRange(x, i * x.length / n, (i + 1) * x.length / n), 1, samples);
      }
      double oneByOne = (System.nanoTime() - start) / 1e6;
      start = System.nanoTime();
      serving.predictMonteCarlo(x, n, samples, MonteCarlo.Masks.SHARED, done -> {});
      double atOnce = (System.nanoTime() - start) / 1e6;
      if (r >= 0) {
        times[0][r] = oneByOne;
        times[1][r] = atOnce;
      }
    }
    return times;
  }
}
