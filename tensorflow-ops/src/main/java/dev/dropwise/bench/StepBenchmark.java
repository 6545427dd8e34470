package dev.dropwise.bench;

import dev.dropwise.data.Dataset;
import dev.dropwise.model.ModelSpec;
import dev.dropwise.train.ModelSession;
import dev.dropwise.train.OptimizerSpec;
import dev.dropwise.train.RunSeeds;
import dev.dropwise.util.Median;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Median milliseconds per training step of several dropout methods on one network, all measured in
 * one run. Every method gets its own graph and session and the same warm-up; the timed steps are
 * taken in short interleaved blocks (method order rotating each round) so that machine noise falls
 * on every method alike. A step is the whole of {@link ModelSession#step}: batch copy into tensors,
 * forward, backward, update and the fetch of loss and accuracy. Beside the methods, in the same
 * rotation, the step's matrix products alone ({@link GemmBound}): the floor a step cannot go below.
 */
public final class StepBenchmark {
  private static final int BLOCK = 10;

  private StepBenchmark() {}

  /** What the matrix-products-only row is called in the table. */
  public static final String PRODUCTS = "matrix products only";

  /**
   * One measured method (or {@link #PRODUCTS}) at one batch size; {@code gflop}: the floating-point
   * work of the step's matrix products, the same for every method of the network.
   */
  public record Row(int batchSize, String method, double medianMs, int steps, double gflop) {}

  /**
   * Times each model of {@code specs} (keyed by what the table calls it: its dropout method, in
   * table order); every session computes with {@code threads} threads ({@link ModelSession#open};
   * 0: every core).
   */
  public static List<Row> run(
      Dataset data,
      Map<String, ModelSpec> specs,
      List<Integer> batchSizes,
      int warmupSteps,
      int timedSteps,
      int threads) {
    List<String> methods = List.copyOf(specs.keySet());
    List<Row> rows = new ArrayList<>();
    for (int batch : batchSizes) {
      Map<String, ModelSession> sessions = new LinkedHashMap<>();
      Map<String, List<Double>> times = new LinkedHashMap<>();
      List<Double> productTimes = new ArrayList<>();
      GemmBound bound = new GemmBound(specs.get(methods.get(0)), batch, threads);
      try {
        for (String method : methods) {
          sessions.put(
              method,
              new ModelSession(
                  specs.get(method),
                  new OptimizerSpec.Momentum(0.01f, 0.9f),
                  RunSeeds.from(1),
                  threads));
          times.put(method, new ArrayList<>());
        }
        int[] order = Dataset.permutation(data.size(), 7);
        for (ModelSession s : sessions.values()) {
          for (int i = 0; i < warmupSteps; i++) {
            timedStep(s, data, order, batch, i);
          }
        }
        for (int i = 0; i < warmupSteps; i++) {
          bound.timeOnce();
        }
        List<String> rotation = new ArrayList<>(methods);
        for (int done = 0; done < timedSteps; done += BLOCK) {
          for (String method : rotation) {
            for (int i = 0; i < BLOCK; i++) {
              times.get(method).add(timedStep(sessions.get(method), data, order, batch, done + i));
            }
          }
          for (int i = 0; i < BLOCK; i++) {
            productTimes.add(bound.timeOnce());
          }
          rotation.add(rotation.remove(0));
        }
      } finally {
        sessions.values().forEach(ModelSession::close);
        bound.close();
      }
      double gflop = bound.flops() / 1e9;
      for (String method : methods) {
        rows.add(
            new Row(batch, method, median(times.get(method)), times.get(method).size(), gflop));
      }
      rows.add(new Row(batch, PRODUCTS, median(productTimes), productTimes.size(), gflop));
    }
    return rows;
  }

  private static double timedStep(ModelSession s, Dataset data, int[] order, int batch, long step) {
    int from = (int) ((step * batch) % (data.size() - batch));
    long t0 = System.nanoTime();
    s.step(data, order, from, from + batch, step, 0, 0f);
    return (System.nanoTime() - t0) / 1e6;
  }

  private static double median(List<Double> values) {
    return Median.of(values.stream().mapToDouble(Double::doubleValue).toArray());
  }
}
