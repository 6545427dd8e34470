package dev.dropwise.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dropwise.data.Dataset;
import dev.dropwise.dropout.DropoutSpec;
import dev.dropwise.model.ModelSpec;
import dev.dropwise.network.Activation;
import dev.dropwise.network.Initializer;
import dev.dropwise.testing.TestSupport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {
  @TempDir Path dir;

  static ModelSpec mlp(String dropout, int... hidden) {
    return ModelSpec.mlp(
        784,
        Arrays.stream(hidden).boxed().toList(),
        Activation.RELU,
        Initializer.HE_UNIFORM,
        DropoutSpec.parse(dropout),
        10);
  }

  static Dataset.Split split(int examples, long shuffleSeed) {
    return TestSupport.embedded().train().head(examples).split(0.1, shuffleSeed);
  }

  /**
   * Trains {@code spec} an epoch on {@code examples} embedded images with checkpoints, resumes it
   * to two epochs, and trains it two epochs in one go, seed {@code seed}: the resumed run's
   * history, and each variable of both runs ({@code [resumed, whole]}), for the caller to compare.
   */
  static ResumedAndWhole resumedAndWhole(ModelSpec spec, Path checkpoints, int examples, long seed)
      throws IOException {
    TrainConfig config = TrainConfig.defaults().withSeeds(RunSeeds.from(seed));
    Dataset.Split data = split(examples, config.seeds().shuffle());
    try (TrainingRun first =
        Trainer.train(
            spec,
            data.train(),
            data.validation(),
            config.withEpochs(1).withCheckpoints(checkpoints, false),
            ProgressListener.NONE)) {
      assertEquals(1, first.history().size());
    }
    try (TrainingRun resumed =
            Trainer.train(
                spec,
                data.train(),
                data.validation(),
                config.withEpochs(2).withCheckpoints(checkpoints, true),
                ProgressListener.NONE);
        TrainingRun whole =
            Trainer.train(
                spec,
                data.train(),
                data.validation(),
                config.withEpochs(2),
                ProgressListener.NONE)) {
      assertTrue(resumed.resumed());
      return new ResumedAndWhole(
          resumed.history(), resumed.model().weights(), whole.model().weights());
    }
  }

  /** What {@link #resumedAndWhole} gives. */
  record ResumedAndWhole(History history, List<float[]> resumed, List<float[]> whole) {
    /** Every variable of the resumed run equal to the uninterrupted run's, bit for bit. */
    void assertSame() {
      assertEquals(whole.size(), resumed.size());
      for (int i = 0; i < whole.size(); i++) {
        assertArrayEquals(whole.get(i), resumed.get(i), "variable " + i);
      }
    }
  }

  static List<Double> losses(History h) {
    return h.epochs().stream().map(EpochRecord::trainLoss).toList();
  }

  @Test
  void sameSeedGivesTheSameLossSequenceAndWeights() throws IOException {
    ModelSpec spec = mlp("sector:n=8,p=0.5", 64, 32);
    TrainConfig config = TrainConfig.defaults().withEpochs(3).withSeeds(RunSeeds.from(4));
    Dataset.Split data = split(1200, config.seeds().shuffle());
    try (TrainingRun a =
            Trainer.train(spec, data.train(), data.validation(), config, ProgressListener.NONE);
        TrainingRun b =
            Trainer.train(spec, data.train(), data.validation(), config, ProgressListener.NONE);
        TrainingRun c =
            Trainer.train(
                spec,
                data.train(),
                data.validation(),
                config.withSeeds(config.seeds().withMask(99)),
                ProgressListener.NONE)) {
      assertEquals(losses(a.history()), losses(b.history()));
      assertEquals(3, a.history().size());
      for (int i = 0; i < a.model().weights().size(); i++) {
        assertArrayEquals(a.model().weights().get(i), b.model().weights().get(i));
      }
      assertNotEquals(
          losses(a.history()), losses(c.history()), "another mask seed gives another run");
      assertTrue(
          a.history().last().trainLoss() < a.history().epochs().get(0).trainLoss(),
          "the loss goes down");
    }
  }

  @Test
  void trainsToWellAboveChanceOnTheEmbeddedSubset() throws IOException {
    ModelSpec spec = mlp("standard:p=0.5", 256);
    TrainConfig config = TrainConfig.defaults().withEpochs(3);
    Dataset.Split data = split(5000, config.seeds().shuffle());
    try (TrainingRun run =
        Trainer.train(spec, data.train(), data.validation(), config, ProgressListener.NONE)) {
      Evaluation test = run.model().evaluate(TestSupport.embedded().test());
      assertTrue(test.accuracy() > 0.75, "test accuracy " + test.accuracy());
      assertEquals(1000, test.examples());
    }
  }

  @Test
  void earlyStoppingStopsAfterPatienceEpochsWithoutImprovement() throws IOException {
    // A learning rate this large diverges at once, so the validation loss never improves on epoch
    // 1.
    ModelSpec spec = mlp("none", 32);
    TrainConfig config =
        TrainConfig.defaults()
            .withEpochs(20)
            .withPatience(2)
            .withOptimizer(new OptimizerSpec.Sgd(50f));
    Dataset.Split data = split(600, config.seeds().shuffle());
    try (TrainingRun run =
        Trainer.train(spec, data.train(), data.validation(), config, ProgressListener.NONE)) {
      assertTrue(run.stoppedEarly());
      int best = 0;
      List<EpochRecord> epochs = run.history().epochs();
      for (int i = 1; i < epochs.size(); i++) {
        if (epochs.get(i).validationLoss() < epochs.get(best).validationLoss()) {
          best = i;
        }
      }
      assertEquals(best + 1 + 2, epochs.size(), "stops exactly 2 epochs after the best one");
    }
  }

  @Test
  void earlyStoppingNeedsValidationData() {
    Dataset train = split(200, 1).train();
    Dataset none = train.head(0);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                Trainer.train(
                    mlp("none", 8),
                    train,
                    none,
                    TrainConfig.defaults().withPatience(1),
                    ProgressListener.NONE));
    assertTrue(e.getMessage().contains("patience=1"), e.getMessage());
  }

  /**
   * A training process is SIGKILLed after its first checkpoint; resuming from what it left must end
   * with exactly the weights of an uninterrupted run.
   */
  @Test
  void aRunKilledAfterAnEpochResumesToTheUninterruptedWeights() throws Exception {
    int epochs = 6;
    int examples = 5000;
    Path checkpoints = dir.resolve("ckpt");
    Process child =
        TestSupport.startJvm(
            dir.resolve("child.log"),
            "dev.dropwise.cli.Dropwise",
            "train",
            "--data",
            "embedded",
            "--limit",
            String.valueOf(examples),
            "--layers",
            "256,256",
            "--dropout",
            "standard:p=0.3",
            "--epochs",
            String.valueOf(epochs),
            "--seed",
            "3",
            "--checkpoint-dir",
            checkpoints.toString(),
            "--out",
            dir.resolve("out").toString());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (Checkpoints.runDirectories(checkpoints).isEmpty()
        && child.isAlive()
        && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    child.destroyForcibly().waitFor();
    assertEquals(
        1,
        Checkpoints.runDirectories(checkpoints).size(),
        "no checkpoint appeared; child log:\n" + Files.readString(dir.resolve("child.log")));
    Path run = onlyRunDirectory(checkpoints);
    Checkpoints.State left = Checkpoints.latestIn(run).orElseThrow();
    assertTrue(
        left.epochsDone() >= 1 && left.epochsDone() < epochs,
        "the kill must land mid-run, but the checkpoint says "
            + left.epochsDone()
            + " epochs done");

    ModelSpec spec = mlp("standard:p=0.3", 256, 256);
    TrainConfig config = TrainConfig.defaults().withEpochs(epochs).withSeeds(RunSeeds.from(3));
    Dataset.Split data = split(examples, config.seeds().shuffle());
    try (TrainingRun resumed =
            Trainer.train(
                spec,
                data.train(),
                data.validation(),
                config.withCheckpoints(checkpoints, true),
                ProgressListener.NONE);
        TrainingRun whole =
            Trainer.train(spec, data.train(), data.validation(), config, ProgressListener.NONE)) {
      assertTrue(resumed.resumed());
      assertEquals(losses(whole.history()), losses(resumed.history()));
      List<float[]> expected = whole.model().weights();
      List<float[]> actual = resumed.model().weights();
      for (int i = 0; i < expected.size(); i++) {
        assertArrayEquals(expected.get(i), actual.get(i), "variable " + i);
      }
    }
    try (var files = Files.list(run)) {
      List<String> names = files.map(p -> p.getFileName().toString()).sorted().toList();
      assertEquals(
          List.of(".lock", "epoch-0006", "latest"),
          names,
          "only the newest checkpoint is kept, no staging left");
    }
  }

  /**
   * One epoch of a 784-{@code width}-10 MLP without dropout, checkpointed into {@code checkpoints}.
   */
  static void trainOneEpoch(Path checkpoints, int width, Dataset.Split data) throws IOException {
    try (TrainingRun ignored =
        Trainer.train(
            mlp("none", width),
            data.train(),
            data.validation(),
            TrainConfig.defaults().withEpochs(1).withCheckpoints(checkpoints, false),
            ProgressListener.NONE)) {
      assertEquals(1, ignored.history().size());
    }
  }

  /** The one run subdirectory of a checkpoint directory. */
  static Path onlyRunDirectory(Path checkpoints) throws IOException {
    List<Path> runs = Checkpoints.runDirectories(checkpoints);
    assertEquals(1, runs.size(), "run directories in " + checkpoints + ": " + runs);
    return runs.get(0);
  }

  @Test
  void resumeRefusesACheckpointOfAnotherRun() throws IOException {
    Path checkpoints = dir.resolve("ckpt");
    TrainConfig config = TrainConfig.defaults().withEpochs(1).withCheckpoints(checkpoints, false);
    Dataset.Split data = split(300, config.seeds().shuffle());
    trainOneEpoch(checkpoints, 16, data);
    assertTrue(
        Files.exists(onlyRunDirectory(checkpoints).resolve("epoch-0001").resolve("state.json")));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                Trainer.train(
                    mlp("none", 32),
                    data.train(),
                    data.validation(),
                    config.withCheckpoints(checkpoints, true),
                    ProgressListener.NONE));
    assertTrue(e.getMessage().contains("holds no checkpoint of this run"), e.getMessage());
    assertTrue(e.getMessage().contains("1 other run(s)"), e.getMessage());
  }

  @Test
  void resumeRefusesOtherDataOfTheSameSize() throws IOException {
    Path checkpoints = dir.resolve("ckpt");
    TrainConfig config = TrainConfig.defaults().withEpochs(1).withCheckpoints(checkpoints, false);
    Dataset.Split data = split(300, config.seeds().shuffle());
    trainOneEpoch(checkpoints, 16, data);
    assertEquals(1, Checkpoints.runDirectories(checkpoints).size());
    // The same number of examples, one pixel changed.
    float[] features = data.train().features().clone();
    features[0] += 0.5f;
    Dataset changed =
        new Dataset(
            features,
            data.train().labels(),
            data.train().featureCount(),
            data.train().classCount());
    assertEquals(data.train().size(), changed.size());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                Trainer.train(
                    mlp("none", 16),
                    changed,
                    data.validation(),
                    config.withEpochs(2).withCheckpoints(checkpoints, true),
                    ProgressListener.NONE));
    assertTrue(e.getMessage().contains("holds no checkpoint of this run"), e.getMessage());
    try (TrainingRun resumed =
        Trainer.train(
            mlp("none", 16),
            data.train(),
            data.validation(),
            config.withEpochs(2).withCheckpoints(checkpoints, true),
            ProgressListener.NONE)) {
      assertTrue(resumed.resumed(), "the same data resumes");
    }
  }

  @Test
  void resumeRefusesADirectoryWithoutCheckpoints() throws IOException {
    Dataset.Split data = split(300, 1);
    TrainConfig config = TrainConfig.defaults().withEpochs(1);
    IllegalArgumentException missing =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                Trainer.train(
                    mlp("none", 16),
                    data.train(),
                    data.validation(),
                    config.withCheckpoints(dir.resolve("typo"), true),
                    ProgressListener.NONE));
    assertTrue(
        missing
            .getMessage()
            .contains("the checkpoint directory " + dir.resolve("typo") + " does not exist"),
        missing.getMessage());
    Path empty = Files.createDirectories(dir.resolve("empty"));
    IllegalArgumentException none =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                Trainer.train(
                    mlp("none", 16),
                    data.train(),
                    data.validation(),
                    config.withCheckpoints(empty, true),
                    ProgressListener.NONE));
    assertTrue(
        none.getMessage().contains(empty + " holds no checkpoint of this run"), none.getMessage());
    assertFalse(Files.exists(dir.resolve("typo")), "a refused resume creates nothing");
  }

  @Test
  void runsSharingACheckpointDirectoryKeepEachOthersCheckpoints() throws IOException {
    Path checkpoints = dir.resolve("ckpt");
    TrainConfig config = TrainConfig.defaults().withEpochs(1).withCheckpoints(checkpoints, false);
    Dataset.Split data = split(300, config.seeds().shuffle());
    trainOneEpoch(checkpoints, 16, data);
    Path first = onlyRunDirectory(checkpoints);
    byte[] state = Files.readAllBytes(first.resolve("epoch-0001/state.json"));
    trainOneEpoch(checkpoints, 24, data);
    assertEquals(
        2,
        Checkpoints.runDirectories(checkpoints).size(),
        "another configuration gets its own directory");
    assertArrayEquals(
        state,
        Files.readAllBytes(first.resolve("epoch-0001/state.json")),
        "the first run's checkpoint is untouched");
    // Two writers of the same run: the second is refused while the first holds the lock.
    String fingerprint = Checkpoints.latestIn(first).orElseThrow().fingerprint();
    try (Checkpoints holder = Checkpoints.open(checkpoints, fingerprint)) {
      assertEquals(first, holder.directory());
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class, () -> Checkpoints.open(checkpoints, fingerprint));
      assertTrue(
          e.getMessage()
              .contains("another run of the same configuration is writing checkpoints to " + first),
          e.getMessage());
    }
  }

  /**
   * A checkpoint without variables the model has (LRP-guided keeps rows between steps) is refused
   * by name.
   */
  @Test
  void aCheckpointLackingTheModelsVariablesIsRefusedWithTheReason() throws IOException {
    Path checkpoints = dir.resolve("ckpt");
    Dataset.Split data = split(300, 1);
    trainOneEpoch(checkpoints, 16, data);
    Path written = onlyRunDirectory(checkpoints);
    String fingerprint = Checkpoints.latestIn(written).orElseThrow().fingerprint();
    try (Checkpoints plain = Checkpoints.open(checkpoints, fingerprint);
        ModelSession lrp =
            new ModelSession(
                mlp("lrp", 16), new OptimizerSpec.Momentum(0.01f, 0.9f), RunSeeds.from(1))) {
      IOException e = assertThrows(IOException.class, () -> plain.restoreLatest(lrp));
      assertTrue(
          e.getMessage().contains("cannot be restored (they lack variables this model has"),
          e.getMessage());
      assertTrue(e.getMessage().contains("not found in checkpoint"), e.getMessage());
    }
  }

  @Test
  void aDivergingRunStopsAtTheFirstNonFiniteLossAndKeepsTheLastGoodCheckpoint() throws IOException {
    Path checkpoints = dir.resolve("ckpt");
    Dataset.Split data = split(300, 1);
    trainOneEpoch(checkpoints, 16, data);
    TrainConfig good = TrainConfig.defaults().withEpochs(1).withCheckpoints(checkpoints, false);
    Map<Path, byte[]> before = new TreeMap<>();
    try (var files = Files.walk(checkpoints)) {
      for (Path p : files.filter(Files::isRegularFile).toList()) {
        before.put(p, Files.readAllBytes(p));
      }
    }
    List<Integer> epochsEnded = new ArrayList<>();
    ProgressListener listener = epochsEndedInto(epochsEnded);
    DivergenceException e =
        assertThrows(
            DivergenceException.class,
            () ->
                Trainer.train(
                    mlp("none", 16),
                    data.train(),
                    data.validation(),
                    good.withEpochs(3).withOptimizer(new OptimizerSpec.Sgd(1e30f)),
                    listener));
    assertTrue(
        e.getMessage()
            .startsWith(
                "training diverged: the loss became NaN at epoch 1, step 1 (the last finite loss "
                    + "was "),
        e.getMessage());
    assertEquals(List.of(), epochsEnded, "no epoch of the diverged run is reported as finished");
    assertEquals(
        1, Checkpoints.runDirectories(checkpoints).size(), "the diverged run leaves no checkpoint");
    before.forEach(
        (p, bytes) ->
            assertDoesNotThrow(
                () -> assertArrayEquals(bytes, Files.readAllBytes(p), p.toString())));
  }

  /**
   * A validation loss that is not finite stops training at the epoch that computed it (it went on
   * to the next epoch's first step before): validation examples of 3e38 overflow the logits while
   * every training loss stays finite.
   */
  @Test
  void aValidationLossThatIsNotFiniteStopsTrainingAtThatEpoch() throws IOException {
    Dataset.Split data = TestSupport.embedded().train().head(300).split(0.1, 1);
    Dataset v = data.validation();
    float[] huge = new float[v.features().length];
    Arrays.fill(huge, 3e38f);
    Dataset overflowing = new Dataset(huge, v.labels(), v.featureCount(), v.classCount());
    List<Integer> epochsEnded = new ArrayList<>();
    ProgressListener listener = epochsEndedInto(epochsEnded);
    DivergenceException e =
        assertThrows(
            DivergenceException.class,
            () ->
                Trainer.train(
                    mlp("none", 16),
                    data.train(),
                    overflowing,
                    TrainConfig.defaults().withEpochs(3),
                    listener));
    assertTrue(
        e.getMessage()
                .startsWith(
                    "training diverged: the validation loss became NaN at the end of epoch 1")
            || e.getMessage()
                .startsWith(
                    "training diverged: the validation loss became Infinity at the end of epoch 1"),
        e.getMessage());
    assertEquals(
        List.of(),
        epochsEnded,
        "the epoch with the diverged validation loss is not reported as finished");
  }

  /** A listener that records the number of every epoch reported as finished. */
  private static ProgressListener epochsEndedInto(List<Integer> epochs) {
    return new ProgressListener() {
      @Override
      public void onEpochEnd(EpochRecord record, int total) {
        epochs.add(record.epoch());
      }
    };
  }
}
