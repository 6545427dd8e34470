package dev.dropwise.train;

import dev.dropwise.dropout.DropoutSpec;
import dev.dropwise.dropout.LearnedRate;
import dev.dropwise.dropout.SchedulableRate;
import dev.dropwise.model.LayerSpec;
import dev.dropwise.model.ModelSpec;
import dev.dropwise.model.ServingGraph;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an export's Monte Carlo passes sample in place of the dropout layers that cannot run as they
 * trained ({@link TrainingRun#monteCarloLayers}), by each layer's index in the spec.
 *
 * @param sampledAs the method sampled in a layer's place: a learned-rate method at the rate it
 *     learned, a scheduled method at its last rate, or {@code FrozenDropout}'s per-unit rates
 * @param unsampled the layers for which there is none, with why
 */
public record MonteCarloLayers(
    Map<Integer, DropoutSpec> sampledAs, Map<Integer, String> unsampled) {
  /** Copies the maps. */
  public MonteCarloLayers {
    sampledAs = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(sampledAs));
    unsampled = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(unsampled));
  }

  /**
   * {@link TrainingRun#monteCarloLayers} of {@code session} after {@code last}: a scheduled layer
   * at its last rate; the layers {@link ModelSession#countedLayers} at their frozen per-unit rates;
   * any other layer whose masks need scores or state unsampled.
   */
  static MonteCarloLayers of(ModelSession session, TrainingRun.FinalStep last) {
    Map<Integer, DropoutSpec> sampledAs = new LinkedHashMap<>();
    Map<Integer, String> unsampled = new LinkedHashMap<>();
    List<Integer> counted = session.countedLayers();
    List<LayerSpec> layers = session.spec().layers();
    Map<Integer, Double> learnedRates = session.learnedRates();
    int scheduled = 0;
    for (int i = 0; i < layers.size(); i++) {
      if (layers.get(i) instanceof LayerSpec.Recurrent r
          && r.dropout().any()
          && !r.dropout().monteCarloAtServing()) {
        unsampled.put(
            i,
            "the masks inside it come from importance scores, which have no frozen stand-in "
                + "inside a recurrent layer");
        continue;
      }
      if (!(layers.get(i) instanceof LayerSpec.Dropout d)) {
        continue;
      }
      // The schedules' rates are fed in layer order: count every scheduled layer.
      int schedule = d.method().rateSchedule().isPresent() ? scheduled++ : -1;
      if (d.method().monteCarloAtServing()) {
        continue;
      }
      if (d.method() instanceof LearnedRate learned) {
        double rate = learnedRates.get(i);
        try {
          sampledAs.put(i, learned.atLearnedRate(rate));
        } catch (IllegalArgumentException e) {
          unsampled.put(i, "the rate it learned, " + rate + ", is not one dropout samples at");
        }
      } else if (d.method() instanceof SchedulableRate s && schedule >= 0) {
        float rate = last.rates()[schedule];
        try {
          sampledAs.put(i, s.atRate(rate));
        } catch (IllegalArgumentException e) {
          unsampled.put(i, "its schedule's last rate " + rate + " is not one it takes fixed");
        }
      } else if (!counted.contains(i)) {
        unsampled.put(
            i,
            d.method().masksNextKernel()
                ? "it masks the next layer's connections, not units, so there are no per-unit "
                    + "rates to count"
                : "its masks are not one multiplier per example and unit, from which frozen "
                    + "rates are counted");
      }
    }
    if (unsampled.isEmpty() && !counted.isEmpty()) {
      sampledAs.putAll(session.frozen(last.train().head(TrainingRun.FROZEN_EXAMPLES), last));
    }
    return new MonteCarloLayers(sampledAs, unsampled);
  }

  /**
   * The replacements an export takes: all of them where every layer has one, else none (a Monte
   * Carlo pass needs every layer).
   */
  public Map<Integer, DropoutSpec> forExport() {
    return unsampled.isEmpty() ? sampledAs : Map.of();
  }

  /**
   * What an export of {@code spec} samples for these layers, a line each: "Monte Carlo dropout,
   * dropout_0: ydrop: per-unit rates as training left them (mean 0.387)", or why it has no Monte
   * Carlo passes.
   */
  public List<String> lines(ModelSpec spec) {
    List<String> lines = new ArrayList<>();
    ServingGraph.describe(spec, forExport())
        .forEach((layer, how) -> lines.add("Monte Carlo dropout, " + layer + ": " + how));
    unsampled.forEach(
        (index, why) ->
            lines.add(
                "no Monte Carlo dropout in the export: "
                    + spec.layerNames().get(index)
                    + " ("
                    + (spec.layers().get(index) instanceof LayerSpec.Dropout d
                        ? d.method().text()
                        : ((LayerSpec.Recurrent) spec.layers().get(index)).dropout().text())
                    + ") cannot be sampled at inference: "
                    + why));
    return lines;
  }
}
