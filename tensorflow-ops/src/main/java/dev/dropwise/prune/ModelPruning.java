package dev.dropwise.prune;

import dev.dropwise.data.Dataset;
import dev.dropwise.export.SavedModelExport;
import dev.dropwise.export.ServingModel;
import dev.dropwise.model.ModelSpec;
import dev.dropwise.model.StartingWeights;
import dev.dropwise.util.ParameterException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Prunes an export: ranks the units of its hidden dense and convolutional layers ({@link
 * UnitRanking}), keeps the top share of each ({@link UnitSurgery}) and writes the smaller network
 * as an ordinary dropwise export with the original's preprocessing and class names. What {@code
 * dropwise prune} and the DSL's {@code prune} run.
 */
public final class ModelPruning {
  private ModelPruning() {}

  /** The network before and after, and the units each hidden layer kept. */
  public record Result(ModelSpec before, ModelSpec after, List<int[]> kept) {}

  /**
   * Refuses, before any work, shares ({@code option}'s) that do not fit {@code model}'s prunable
   * layers ({@link UnitRanking#check}) and fewer than one step; returns the shares per layer.
   */
  public static List<Double> check(ServingModel model, String option, List<Double> keep, int steps)
      throws IOException {
    if (steps < 1) {
      throw new ParameterException("--steps", String.valueOf(steps), "must be >= 1");
    }
    List<Integer> units = PrunableLayers.of(model.network()).units();
    List<Double> shares = UnitRanking.perLayer(keep, units.size());
    UnitRanking.check(option, shares, units);
    return shares;
  }

  /**
   * Refuses, before any work, an output {@code out} (of {@code option}) that is the model read
   * ({@code from}) or lies inside it: the model pruned is read, never written.
   */
  public static void checkOutside(String option, Path out, Path from) {
    if (out.toAbsolutePath().normalize().startsWith(from.toAbsolutePath().normalize())) {
      throw new IllegalArgumentException(
          option
              + " "
              + out
              + " is not allowed inside --model "
              + from
              + ": the model pruned is read, never written; choose a path outside it");
    }
  }

  /**
   * {@code model} (exported at {@code from}) with the top {@code keep} share of each prunable
   * layer's units by {@code ranking} (computed on {@code examples}, scaled as the network takes
   * them, as in training; {@code seed} for the random ranking), exported to {@code out}.
   */
  public static Result prune(
      ServingModel model,
      Path from,
      List<Double> keep,
      UnitRanking ranking,
      Dataset examples,
      long seed,
      Path out)
      throws IOException {
    return prune(model, from, keep, ranking, examples, seed, 1, null, out);
  }

  /**
   * As {@link #prune(ServingModel, Path, List, UnitRanking, Dataset, long, Path)}, in {@code steps}
   * steps, each ranking the units anew and keeping a share {@code keep^(1/steps)} of the units the
   * step starts with (so that a layer keeps {@code keep} of its units in the end: after step s,
   * {@code round(keep^(s/steps) · units)} of its original units), then, unless {@code fineTuning}
   * is null, training the smaller network on.
   */
  public static Result prune(
      ServingModel model,
      Path from,
      List<Double> keep,
      UnitRanking ranking,
      Dataset examples,
      long seed,
      int steps,
      FineTuning fineTuning,
      Path out)
      throws IOException {
    List<Double> shares = check(model, "--keep", keep, steps);
    checkOutside("--out", out, from);
    SavedModelExport.checkTarget("--out", out);
    List<Integer> original = PrunableLayers.of(model.network()).units();
    String origin =
        from
            + ", pruned by "
            + ranking.text()
            + " keeping "
            + keep
            + (steps > 1 ? " in " + steps + " steps" : "")
            + (fineTuning == null
                ? ""
                : ", fine-tuned for " + fineTuning.config().epochs() + " epochs a step");
    UnitSurgery.Pruned network =
        new UnitSurgery.Pruned(
            model.trainingSpec(), model.startingWeights().values(), model.monteCarloLayers());
    List<int[]> kept = null;
    for (int step = 1; step <= steps; step++) {
      List<double[]> scores =
          ranking.scores(
              network.spec().withoutDropout(), network.weights()::get, examples, seed + step - 1);
      List<Integer> counts = new ArrayList<>();
      for (int l = 0; l < original.size(); l++) {
        double share = Math.pow(shares.get(l), step / (double) steps);
        counts.add((int) Math.round(share * original.get(l)));
      }
      List<int[]> chosen = UnitRanking.top(scores, counts);
      kept = kept == null ? chosen : composed(kept, chosen);
      network = UnitSurgery.keep(network.spec(), network.weights(), network.sampledAs(), chosen);
      if (fineTuning != null) {
        network = fineTuning.train(network, origin);
      }
    }
    SavedModelExport.export(
        network.spec(),
        new StartingWeights(origin, network.weights()),
        out,
        model.preprocessing(),
        model.classNames(),
        origin,
        network.sampledAs());
    ModelSpec spec = network.spec();
    return new Result(model.network(), spec.withoutDropout(), kept);
  }

  /** The original units kept after a step keeps {@code chosen} of the units {@code kept} before. */
  private static List<int[]> composed(List<int[]> kept, List<int[]> chosen) {
    List<int[]> out = new ArrayList<>();
    for (int l = 0; l < kept.size(); l++) {
      int[] before = kept.get(l);
      out.add(java.util.Arrays.stream(chosen.get(l)).map(u -> before[u]).toArray());
    }
    return out;
  }
}
