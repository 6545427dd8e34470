package dev.dropwise.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dropwise.data.Dataset;
import dev.dropwise.dropout.DropoutSpec;
import dev.dropwise.model.ModelSpec;
import dev.dropwise.network.Activation;
import dev.dropwise.network.Initializer;
import dev.dropwise.testing.TestSupport;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Adam's β powers advance after the updates: a seed fixes an Adam training bit for bit, as it does
 * SGD's.
 */
class OrderedAdamTest {
  private static Map<String, float[]> trainedWeights() throws Exception {
    ModelSpec spec =
        ModelSpec.mlp(
            784,
            List.of(128),
            Activation.RELU,
            Initializer.HE_UNIFORM,
            DropoutSpec.parse("none"),
            10);
    Dataset.Split data = TestSupport.embedded().train().split(0.1, 1);
    TrainConfig config =
        TrainConfig.defaults().withEpochs(2).withOptimizer(new OptimizerSpec.Adam(0.001f));
    try (TrainingRun run =
        Trainer.train(spec, data.train(), data.validation(), config, ProgressListener.NONE)) {
      return run.model().variableValues();
    }
  }

  @Test
  void twoAdamTrainingsOfOneSeedEndWithTheSameWeights() throws Exception {
    // Before the fix, framework Adam's updates raced with its β-power assignment: of four trainings
    // like these, no two ended alike.
    Map<String, float[]> first = trainedWeights();
    for (int repeat = 0; repeat < 3; repeat++) {
      Map<String, float[]> again = trainedWeights();
      assertEquals(first.keySet(), again.keySet());
      first.forEach((name, value) -> assertArrayEquals(value, again.get(name), name));
    }
  }
}
