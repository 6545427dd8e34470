package dev.dropwise.experiments;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dropwise.data.Dataset;
import dev.dropwise.dropout.DropoutSpec;
import dev.dropwise.model.Activation;
import dev.dropwise.model.Initializer;
import dev.dropwise.model.ModelSpec;
import dev.dropwise.testing.TestSupport;
import dev.dropwise.train.ProgressListener;
import dev.dropwise.train.TrainConfig;
import dev.dropwise.train.Trainer;
import dev.dropwise.train.TrainingRun;
import java.util.List;
import org.junit.jupiter.api.Test;

class RobustnessAndProfileTest {

  @Test
  void masksRemoveExactlyTheRequestedShareInTheGivenOrder() {
    float[] mask = Robustness.maskKeeping(new int[] {3, 1, 0, 2}, 0.5);
    assertArrayEquals(new float[] {1, 0, 1, 0}, mask);
    assertArrayEquals(new int[] {2, 0, 3, 1}, Robustness.byDescendingScore(new double[] {0.5, 0.1, 0.9, 0.3}));
  }

  @Test
  void theCurveStartsAtTheModelsAccuracyAndFallsTowardsChance() throws Exception {
    ModelSpec spec = ModelSpec.mlp(784, List.of(64), Activation.RELU, Initializer.HE_UNIFORM, DropoutSpec.parse("none"), 10);
    Dataset.Split split = TestSupport.embedded().train().head(2000).split(0.1, 1);
    Dataset test = TestSupport.embedded().test().head(400);
    try (TrainingRun run = Trainer.train(spec, split.train(), split.validation(), TrainConfig.defaults().withEpochs(2),
        ProgressListener.NONE)) {
      double full = run.model().evaluate(test).accuracy();
      double[] importance = new double[64];
      for (int i = 0; i < 64; i++) {
        importance[i] = i; // any fixed order
      }
      List<Robustness.Point> curve = Robustness.curve(run.model().denseWeights(), List.of(importance), test,
          new double[] {0, 0.5, 1.0}, 4, 3);
      assertEquals(full, curve.get(0).randomMean(), 1e-6, "removing nothing leaves the model as it is");
      assertEquals(0, curve.get(0).randomStd(), 1e-12);
      assertEquals(full, curve.get(0).importantFirst(), 1e-6);
      assertTrue(curve.get(1).randomStd() > 0, "different random draws remove different units");
      assertTrue(curve.get(1).randomMean() < full);
      int[] counts = new int[10];
      for (int label : test.labels()) {
        counts[label]++;
      }
      // With every hidden unit removed the logits are the output biases: one class for every image.
      double best = java.util.Arrays.stream(counts).max().orElseThrow() / 400.0;
      assertTrue(curve.get(2).randomMean() <= best + 1e-9, "all removed: at most the largest class share, got "
          + curve.get(2).randomMean());
    }
  }

  @Test
  void profilesSortDescendingAndAccumulateToOne() {
    // two examples x three units
    ImportanceProfile p = ImportanceProfile.of("m", "none", List.of(new float[] {1, -4, 2, 3, 0, 2}), 2);
    assertArrayEquals(new double[] {2, 2, 2}, p.sorted().get(0), 1e-12);
    ImportanceProfile q = ImportanceProfile.of("m", "none", List.of(new float[] {1, 6, 3}), 1);
    assertArrayEquals(new double[] {6, 3, 1}, q.sorted().get(0), 1e-12);
    assertArrayEquals(new double[] {0.6, 0.9, 1.0}, q.cumulative().get(0), 1e-12);
    assertEquals(0.6, q.shareOfTop(0, 0.2), 1e-12, "the top 20% of 3 units rounds to 1 unit");
  }
}
