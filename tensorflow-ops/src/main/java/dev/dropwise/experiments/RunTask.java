package dev.dropwise.experiments;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.dropwise.data.ClassificationData;
import dev.dropwise.data.DataSpec;
import dev.dropwise.data.Dataset;
import dev.dropwise.model.LayerSpec;
import dev.dropwise.model.ModelSpec;
import dev.dropwise.network.FeatureShape;
import dev.dropwise.train.Evaluation;
import dev.dropwise.train.OptimizerSpec;
import dev.dropwise.train.ProgressListener;
import dev.dropwise.train.RunSeeds;
import dev.dropwise.train.TrainConfig;
import dev.dropwise.train.Trainer;
import dev.dropwise.train.TrainingRun;
import dev.dropwise.util.Errors;
import dev.dropwise.util.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * One training of a sweep, whole: the method's label, the model, the seed, how to train, the
 * validation share and the training-set limit. {@link #execute} runs it on data anywhere; {@link
 * #toJson} and {@link #fromJson} carry it to another machine as text (every layer and method has a
 * text form that parses back to an equal spec).
 */
public record RunTask(
    String label,
    ModelSpec spec,
    long seed,
    TrainConfig config,
    double validationFraction,
    Integer trainLimit) {

  /**
   * {@code config}'s seeds are replaced by {@code seed}'s: a sweep's run is named by its seed
   * alone.
   */
  public RunTask {
    config = config.withSeeds(RunSeeds.from(seed));
  }

  /**
   * Trains and tests on {@code data}: a finished run, or one recorded as failed with its error (a
   * method refused at build time, divergence, a non-finite test loss). Never throws for a run's own
   * failure.
   */
  public Comparison.Run execute(ClassificationData data, ProgressListener progress) {
    Dataset train = trainLimit == null ? data.train() : data.train().head(trainLimit);
    long start = System.nanoTime();
    try {
      Dataset.Split split = train.split(validationFraction, config.seeds().shuffle());
      try (TrainingRun run =
          Trainer.train(spec, split.train(), split.validation(), config, progress)) {
        Evaluation test = run.model().evaluate(data.test());
        if (!Double.isFinite(test.loss())) {
          throw new IllegalStateException(
              "the test loss is "
                  + test.loss()
                  + ": the trained model does not compute finite outputs");
        }
        return new Comparison.Run(
            label,
            seed,
            test.loss(),
            test.accuracy(),
            run.history().size(),
            (System.nanoTime() - start) / 1e9,
            run.history().epochs(),
            null);
      }
    } catch (RuntimeException | IOException e) {
      return new Comparison.Run(
          label,
          seed,
          Double.NaN,
          Double.NaN,
          0,
          (System.nanoTime() - start) / 1e9,
          List.of(),
          Errors.describe(e));
    }
  }

  /** What travels: plain values and the specs' texts. */
  private record Wire(
      String label,
      String input,
      List<String> layers,
      long seed,
      int epochs,
      int batchSize,
      String optimizer,
      float learningRate,
      float momentum,
      int patience,
      int threads,
      double validationFraction,
      Integer trainLimit) {}

  /**
   * The task as one line of JSON. Checkpoints stay with the driver: a task never carries a
   * checkpoint directory.
   */
  public String toJson() {
    OptimizerSpec o = config.optimizer();
    try {
      return Json.MAPPER.writeValueAsString(
          new Wire(
              label,
              spec.input().toString(),
              spec.layers().stream().map(LayerSpec::text).toList(),
              seed,
              config.epochs(),
              config.batchSize(),
              o.name(),
              o.learningRate(),
              o.momentum(),
              config.patience(),
              config.threads(),
              validationFraction,
              trainLimit));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads {@link #toJson()} back to an equal task. */
  public static RunTask fromJson(String json) {
    Wire w;
    try {
      w = Json.MAPPER.readValue(json, Wire.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a run task: " + Errors.firstLine(e), e);
    }
    ModelSpec spec =
        new ModelSpec(
            FeatureShape.parse(w.input()), w.layers().stream().map(LayerSpec::parse).toList());
    TrainConfig config =
        new TrainConfig(
            w.epochs(),
            w.batchSize(),
            OptimizerSpec.of(w.optimizer(), w.learningRate(), w.momentum()),
            RunSeeds.from(w.seed()),
            w.patience(),
            null,
            false,
            w.threads());
    return new RunTask(w.label(), spec, w.seed(), config, w.validationFraction(), w.trainLimit());
  }

  /** The data request as one line of JSON, for executors that load the data themselves. */
  public static String dataJson(DataSpec data) {
    try {
      return Json.MAPPER.writeValueAsString(data);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads {@link #dataJson} back. */
  public static DataSpec dataFromJson(String json) {
    try {
      return Json.MAPPER.readValue(json, DataSpec.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a data request: " + Errors.firstLine(e), e);
    }
  }
}
