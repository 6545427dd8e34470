package dev.dropwise.train;

import dev.dropwise.data.Dataset;
import dev.dropwise.model.LayerSpec;
import dev.dropwise.model.ModelSpec;
import dev.dropwise.schedule.DatasetComplexity;
import dev.dropwise.schedule.RateSchedule;
import dev.dropwise.schedule.ScheduleContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The rate schedules of a model's scheduled dropout layers during one training. */
final class Schedules {
  /** Examples the nearest-class-mean complexity is fitted on (and scored on as many more). */
  private static final int COMPLEXITY_EXAMPLES = 1000;

  private final List<RateSchedule> schedules;
  private final List<Integer> depths;
  private final int dropoutLayers;
  private final double complexity;

  private Schedules(
      List<RateSchedule> schedules, List<Integer> depths, int dropoutLayers, double complexity) {
    this.schedules = schedules;
    this.depths = depths;
    this.dropoutLayers = dropoutLayers;
    this.complexity = complexity;
  }

  static Schedules of(ModelSpec spec, Dataset train) {
    List<RateSchedule> schedules = new ArrayList<>();
    List<Integer> depths = new ArrayList<>();
    int dropoutLayers = 0;
    for (LayerSpec layer : spec.layers()) {
      if (layer instanceof LayerSpec.Dropout d) {
        dropoutLayers++;
        Optional<RateSchedule> schedule = d.method().rateSchedule();
        if (schedule.isPresent()) {
          schedules.add(schedule.get().fresh());
          depths.add(dropoutLayers);
        }
      }
    }
    double complexity =
        schedules.isEmpty()
            ? 0
            : DatasetComplexity.nearestCentroidError(train, COMPLEXITY_EXAMPLES);
    return new Schedules(schedules, depths, dropoutLayers, complexity);
  }

  private ScheduleContext context(int layer, int epoch, int epochs, List<EpochRecord> history) {
    return new ScheduleContext(
        epoch,
        epochs,
        depths.get(layer),
        dropoutLayers,
        history.stream()
            .map(e -> new ScheduleContext.Validation(e.validationLoss(), e.validationAccuracy()))
            .toList(),
        complexity);
  }

  /** Each scheduled layer's rate for {@code epoch}, given the epochs finished before it. */
  float[] rates(int epoch, int epochs, List<EpochRecord> history) {
    float[] rates = new float[schedules.size()];
    for (int l = 0; l < rates.length; l++) {
      rates[l] = (float) schedules.get(l).rate(context(l, epoch, epochs, history));
    }
    return rates;
  }

  /** Lets the schedules learn from the epoch just finished (last in {@code history}). */
  void observe(int epoch, int epochs, List<EpochRecord> history) {
    for (int l = 0; l < schedules.size(); l++) {
      schedules.get(l).observe(context(l, epoch, epochs, history));
    }
  }

  /** Brings the schedules to where they were after {@code history}, for a resumed training. */
  void replay(List<EpochRecord> history, int epochs) {
    for (int e = 0; e < history.size(); e++) {
      rates(e, epochs, history.subList(0, e));
      observe(e, epochs, history.subList(0, e + 1));
    }
  }
}
