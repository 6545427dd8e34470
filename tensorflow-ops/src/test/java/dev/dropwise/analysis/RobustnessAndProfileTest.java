package dev.dropwise.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dropwise.data.Dataset;
import dev.dropwise.dropout.DropoutSpec;
import dev.dropwise.model.Architecture;
import dev.dropwise.model.ModelSpec;
import dev.dropwise.network.Activation;
import dev.dropwise.network.FeatureShape;
import dev.dropwise.network.Initializer;
import dev.dropwise.testing.TestSupport;
import dev.dropwise.train.ProgressListener;
import dev.dropwise.train.TrainConfig;
import dev.dropwise.train.Trainer;
import dev.dropwise.train.TrainingRun;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class RobustnessAndProfileTest {

  @Test
  void masksRemoveExactlyTheRequestedShareInTheGivenOrder() {
    float[] mask = Robustness.maskKeeping(new int[] {3, 1, 0, 2}, 0.5);
    assertArrayEquals(new float[] {1, 0, 1, 0}, mask);
    assertArrayEquals(
        new int[] {2, 0, 3, 1}, Robustness.byDescendingScore(new double[] {0.5, 0.1, 0.9, 0.3}));
  }

  /**
   * On a CNN a unit is a channel: removing none leaves the model as it is, removing all of them
   * leaves chance.
   */
  @Test
  void aCnnLosesWholeChannels() throws Exception {
    ModelSpec spec =
        Architecture.parse("conv:6x3,pool:2,dense:16")
            .build(
                FeatureShape.map(28, 28, 1),
                10,
                Activation.RELU,
                Initializer.HE_UNIFORM,
                DropoutSpec.parse("none"),
                DropoutSpec.parse("none"));
    Dataset.Split split = TestSupport.embedded().train().head(1000).split(0.1, 1);
    Dataset test = TestSupport.embedded().test().head(300);
    try (TrainingRun run =
        Trainer.train(
            spec,
            split.train(),
            split.validation(),
            TrainConfig.defaults().withEpochs(1),
            ProgressListener.NONE)) {
      double full = run.model().evaluate(test).accuracy();
      var values = run.model().variableValues();
      // Hidden layers: conv (6 channels), pool (6 channels), flatten (14*14*6 units), dense (16).
      List<double[]> importance =
          List.of(new double[6], new double[6], new double[14 * 14 * 6], new double[16]);
      List<Robustness.Point> curve =
          Robustness.curve(spec, values::get, importance, test, new double[] {0, 1.0}, 2, 3);
      assertEquals(
          full, curve.get(0).randomMean(), 1e-6, "removing nothing leaves the model as it is");
      assertEquals(full, curve.get(0).importantFirst(), 1e-6);
      // Everything removed: the logits are the output bias alone, one class for every image.
      assertEquals(curve.get(1).randomMean(), curve.get(1).importantFirst(), 1e-12);
      assertEquals(0, curve.get(1).randomStd(), 1e-12);
      assertTrue(curve.get(1).randomMean() < 0.2, "chance level: " + curve.get(1).randomMean());
    }
  }

  @Test
  void theCurveStartsAtTheModelsAccuracyAndFallsTowardsChance() throws Exception {
    ModelSpec spec =
        ModelSpec.mlp(
            784,
            List.of(64),
            Activation.RELU,
            Initializer.HE_UNIFORM,
            DropoutSpec.parse("none"),
            10);
    Dataset.Split split = TestSupport.embedded().train().head(2000).split(0.1, 1);
    Dataset test = TestSupport.embedded().test().head(400);
    try (TrainingRun run =
        Trainer.train(
            spec,
            split.train(),
            split.validation(),
            TrainConfig.defaults().withEpochs(2),
            ProgressListener.NONE)) {
      double full = run.model().evaluate(test).accuracy();
      double[] importance = new double[64];
      for (int i = 0; i < 64; i++) {
        importance[i] = i; // any fixed order
      }
      var values = run.model().variableValues();
      List<Robustness.Point> curve =
          Robustness.curve(
              spec, values::get, List.of(importance), test, new double[] {0, 0.5, 1.0}, 4, 3);
      assertEquals(
          full, curve.get(0).randomMean(), 1e-6, "removing nothing leaves the model as it is");
      assertEquals(0, curve.get(0).randomStd(), 1e-12);
      assertEquals(full, curve.get(0).importantFirst(), 1e-6);
      assertTrue(curve.get(1).randomStd() > 0, "different random draws remove different units");
      assertTrue(curve.get(1).randomMean() < full);
      int[] counts = new int[10];
      for (int label : test.labels()) {
        counts[label]++;
      }
      // With every hidden unit removed the logits are the output biases: one class for every image.
      double best = Arrays.stream(counts).max().orElseThrow() / 400.0;
      assertTrue(
          curve.get(2).randomMean() <= best + 1e-9,
          "all removed: at most the largest class share, got " + curve.get(2).randomMean());
    }
  }

  @Test
  void profilesSortDescendingAndAccumulateToOne() {
    // two examples x three units
    ImportanceProfile p =
        ImportanceProfile.of("m", "none", List.of(new float[] {1, -4, 2, 3, 0, 2}), 2);
    assertArrayEquals(new double[] {2, 2, 2}, p.sorted().get(0), 1e-12);
    assertEquals(
        (1 + 3) / 2.0 + (4 + 0) / 2.0 + (2 + 2) / 2.0,
        p.total(0),
        1e-12,
        "the sum of the units' mean |score|");
    ImportanceProfile q = ImportanceProfile.of("m", "none", List.of(new float[] {1, 6, 3}), 1);
    assertArrayEquals(new double[] {6, 3, 1}, q.sorted().get(0), 1e-12);
    assertArrayEquals(new double[] {0.6, 0.9, 1.0}, q.cumulative().get(0), 1e-12);
    assertEquals(0.6, q.shareOfTop(0, 0.2), 1e-12, "the top 20% of 3 units rounds to 1 unit");
  }
}
