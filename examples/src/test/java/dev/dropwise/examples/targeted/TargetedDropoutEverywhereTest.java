package dev.dropwise.examples.targeted;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dropwise.cli.Dropwise;
import dev.dropwise.data.ClassificationData;
import dev.dropwise.data.Dataset;
import dev.dropwise.data.FashionMnist;
import dev.dropwise.dropout.DropoutSpec;
import dev.dropwise.export.SavedModelExport;
import dev.dropwise.export.ServingModel;
import dev.dropwise.model.ModelSpec;
import dev.dropwise.network.Activation;
import dev.dropwise.network.Initializer;
import dev.dropwise.train.EpochRecord;
import dev.dropwise.train.ProgressListener;
import dev.dropwise.train.TrainConfig;
import dev.dropwise.train.Trainer;
import dev.dropwise.train.TrainingRun;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plugin works wherever a built-in method does: training, checkpoints and resume, export, the
 * command line.
 */
class TargetedDropoutEverywhereTest {
  @TempDir Path dir;
  static ClassificationData data;

  @BeforeAll
  static void load() throws IOException {
    data = FashionMnist.loadEmbedded();
  }

  static ModelSpec mlp(String dropout) {
    return ModelSpec.mlp(
        784,
        List.of(64, 48),
        Activation.RELU,
        Initializer.HE_UNIFORM,
        DropoutSpec.parse(dropout),
        10);
  }

  @Test
  void trainsAtTheRateItsCandidatesGiveAndResumesExactly() throws IOException {
    ModelSpec spec = mlp("targeted:gamma=0.5,alpha=0.5");
    TrainConfig config = TrainConfig.defaults().withEpochs(2);
    Dataset.Split split = data.train().head(1000).split(0.1, config.seeds().shuffle());
    Path checkpoints = dir.resolve("ckpt");
    try (TrainingRun first =
        Trainer.train(
            spec,
            split.train(),
            split.validation(),
            config.withEpochs(1).withCheckpoints(checkpoints, false),
            ProgressListener.NONE)) {
      assertEquals(1, first.history().size());
    }
    try (TrainingRun resumed =
            Trainer.train(
                spec,
                split.train(),
                split.validation(),
                config.withCheckpoints(checkpoints, true),
                ProgressListener.NONE);
        TrainingRun whole =
            Trainer.train(spec, split.train(), split.validation(), config, ProgressListener.NONE)) {
      assertTrue(resumed.resumed());
      for (EpochRecord epoch : whole.history().epochs()) {
        for (double rate : epoch.dropRates()) {
          // Half the units are candidates, each dropped at 0.5: a quarter of the layer, 15 steps x
          // 64 / 48 units.
          assertEquals(0.25, rate, 0.04, "epoch " + epoch.epoch());
        }
      }
      assertEquals(
          whole.history().epochs().stream().map(EpochRecord::trainLoss).toList(),
          resumed.history().epochs().stream().map(EpochRecord::trainLoss).toList());
      for (int i = 0; i < whole.model().weights().size(); i++) {
        assertArrayEquals(
            whole.model().weights().get(i), resumed.model().weights().get(i), "variable " + i);
      }

      Path export = dir.resolve("model");
      SavedModelExport.export(whole.model(), export);
      Dataset test = data.test().head(50);
      float[] expected = whole.model().logits(test, test.size(), false, 0);
      try (ServingModel serving = ServingModel.load(export)) {
        assertArrayEquals(
            expected,
            serving.predict(test.features(), test.size()).logits(),
            1e-5f,
            "the serving graph is the trained model without dropout");
        assertFalse(serving.hasMonteCarlo());
      }
    }
  }

  @Test
  void theCommandLineTakesItWhenItsJarIsOnTheClasspath() throws IOException {
    StringWriter err = new StringWriter();
    int code =
        Dropwise.run(
            new PrintWriter(err, true),
            "compare",
            "--data",
            "embedded",
            "--limit",
            "400",
            "--layers",
            "32",
            "--epochs",
            "1",
            "--methods",
            "standard:p=0.5;targeted:gamma=0.5,alpha=0.5",
            "--out",
            dir.resolve("compare").toString());
    assertEquals(0, code, err.toString());
    List<String> rows = Files.readAllLines(dir.resolve("compare").resolve("results.csv"));
    assertEquals(3, rows.size(), String.join("\n", rows));
    assertTrue(rows.get(2).startsWith("\"targeted:gamma=0.5,alpha=0.5\",1,"), rows.get(2));
  }
}
