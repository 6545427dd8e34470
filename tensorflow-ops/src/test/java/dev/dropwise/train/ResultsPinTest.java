package dev.dropwise.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Today's numbers, pinned: refactoring the core must give the same seed the same losses and
 * weights, bit for bit (784-64-48-10, 900 training examples, 2 epochs, seed 1). The values were
 * recorded on the commit that added this test, before the open-core refactoring; a change that moves
 * them must say exactly why in its message.
 */
class ResultsPinTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "standard:p=0.5   | 2.400533652835422  | 2.1769694073994956 | -97.05062215699331",
    "sector:n=8,p=0.5 | 2.387822394900852  | 2.1780682309468586 | -100.97124626240384",
    "lrp              | 2.3424995528327095 | 2.1000690725114612 | -75.90412286135597",
    "ydrop            | 2.3193388186560737 | 2.1339928107791475 | -59.51881754202486",
  })
  void theSameSeedGivesTodaysLossesAndWeights(String method, double epoch1, double epoch2, double kernelSum)
      throws IOException {
    try (TrainingRun run = ImportanceGuidedTrainingTest.train(method, 2, TrainConfig.defaults())) {
      List<Double> losses = TrainerTest.losses(run.history());
      double sum = 0;
      for (float w : run.model().weights().get(0)) {
        sum += w;
      }
      assertEquals(epoch1, losses.get(0), 0.0, "epoch 1 training loss");
      assertEquals(epoch2, losses.get(1), 0.0, "epoch 2 training loss");
      assertEquals(kernelSum, sum, 0.0, "sum of the first kernel's weights");
    }
  }
}
