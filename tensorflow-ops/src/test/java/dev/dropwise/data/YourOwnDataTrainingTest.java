package dev.dropwise.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dropwise.dropout.DropoutSpec;
import dev.dropwise.export.SavedModelExport;
import dev.dropwise.export.ServingModel;
import dev.dropwise.model.ModelSpec;
import dev.dropwise.network.Activation;
import dev.dropwise.network.Initializer;
import dev.dropwise.train.ProgressListener;
import dev.dropwise.train.TrainConfig;
import dev.dropwise.train.Trainer;
import dev.dropwise.train.TrainingRun;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training on scikit-learn's tables: the accuracies the issue asks for (standard dropout, a small
 * MLP, seed 1), and an export that takes raw features and gives the training graph's logits.
 */
class YourOwnDataTrainingTest {

  static TrainingRun train(ClassificationData data, int epochs) throws Exception {
    ModelSpec spec =
        ModelSpec.mlp(
            data.train().featureCount(),
            List.of(64),
            Activation.RELU,
            Initializer.HE_UNIFORM,
            DropoutSpec.parse("standard:p=0.2"),
            data.train().classCount());
    TrainConfig config = TrainConfig.defaults().withEpochs(epochs);
    Dataset.Split split = data.train().split(0.1, config.seeds().shuffle());
    return Trainer.train(spec, split.train(), split.validation(), config, ProgressListener.NONE);
  }

  @Test
  void wineAndDigitsReachTheirAccuracyAndAnExportServesRawFeatures(@TempDir Path dir)
      throws Exception {
    ClassificationData wine =
        DataSpec.of("csv:" + TableSourcesTest.SKLEARN.resolve("wine_data.csv")).load();
    assertEquals(
        Preprocessing.Scale.STANDARDIZE,
        wine.preprocessing().scale(),
        "tables are standardised by default");
    assertEquals(36, wine.test().size(), "0.2 of each class: 12 + 14 + 10");
    try (TrainingRun run = train(wine, 30)) {
      double accuracy = run.model().evaluate(wine.test()).accuracy();
      System.out.printf("wine: test accuracy %.4f%n", accuracy);
      assertTrue(accuracy >= 0.90, "wine: " + accuracy);

      Path export = dir.resolve("wine");
      SavedModelExport.export(run.model(), export, wine.preprocessing(), wine.classNames());
      ClassificationData raw =
          DataSpec.of("csv:" + TableSourcesTest.SKLEARN.resolve("wine_data.csv"))
              .withScale(Preprocessing.Scale.NONE)
              .load();
      try (ServingModel serving = ServingModel.load(export)) {
        assertEquals(wine.preprocessing(), serving.preprocessing());
        assertEquals(List.of("0", "1", "2"), serving.classNames());
        float[] served = serving.predict(raw.test().features(), raw.test().size()).logits();
        float[] trained = run.model().logits(wine.test(), wine.test().size(), false, 0);
        assertEquals(trained.length, served.length);
        for (int i = 0; i < served.length; i++) {
          assertEquals(
              trained[i], served[i], 1e-4f * Math.max(1, Math.abs(trained[i])), "logit " + i);
        }
      }
    }
    ClassificationData digits =
        DataSpec.of("csv:" + TableSourcesTest.SKLEARN.resolve("digits.csv.gz")).load();
    try (TrainingRun run = train(digits, 20)) {
      double accuracy = run.model().evaluate(digits.test()).accuracy();
      System.out.printf("digits: test accuracy %.4f%n", accuracy);
      assertTrue(accuracy >= 0.93, "digits: " + accuracy);
    }
  }
}
