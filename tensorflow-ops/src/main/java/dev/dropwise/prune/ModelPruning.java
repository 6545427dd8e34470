package dev.dropwise.prune;

import dev.dropwise.data.Dataset;
import dev.dropwise.export.SavedModelExport;
import dev.dropwise.export.ServingModel;
import dev.dropwise.model.ModelSpec;
import dev.dropwise.model.StartingWeights;
import java.io.IOException;
import java.nio.file.Path;
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
   * Refuses, before any work, shares that do not fit {@code model}'s prunable layers ({@link
   * UnitRanking#check}); returns the shares per layer.
   */
  public static List<Double> check(ServingModel model, List<Double> keep) throws IOException {
    List<Integer> units = PrunableLayers.of(model.network()).units();
    List<Double> shares = UnitRanking.perLayer(keep, units.size());
    UnitRanking.check(shares, units);
    return shares;
  }

  /**
   * {@code model} (exported at {@code from}) with the top {@code keep} share of each hidden layer's
   * units by {@code ranking} (computed on {@code examples}, scaled as the network takes them, as in
   * training; {@code seed} for the random ranking), exported to {@code out}.
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
    List<Double> shares = check(model, keep);
    ModelSpec network = model.network();
    List<int[]> kept =
        UnitRanking.top(ranking.scores(network, model::variable, examples, seed), shares);
    UnitSurgery.Pruned pruned =
        UnitSurgery.keep(model.trainingSpec(), model.startingWeights().values(), kept);
    String origin = from + ", pruned by " + ranking.text() + " keeping " + keep;
    SavedModelExport.export(
        pruned.spec(),
        new StartingWeights(origin, pruned.weights()),
        out,
        model.preprocessing(),
        model.classNames(),
        origin);
    return new Result(network, pruned.spec().withoutDropout(), kept);
  }
}
