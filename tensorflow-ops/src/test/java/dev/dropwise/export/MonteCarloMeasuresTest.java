package dev.dropwise.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The Monte Carlo summary against its formulas, on sets of passes made here: the measures computed
 * again in float64 from the stored passes, and the cases whose values are known in closed form.
 */
class MonteCarloMeasuresTest {

  static MonteCarlo summary(float[][] passes, int count, int classes) {
    MonteCarlo.Accumulator a = new MonteCarlo.Accumulator(count, classes);
    for (float[] pass : passes) {
      a.add(pass);
    }
    return a.result();
  }

  @Test
  void passesThatAgreeHaveNoEpistemicUncertainty() {
    float[] pass = {0.7f, 0.2f, 0.1f};
    MonteCarlo mc = summary(new float[][] {pass, pass.clone(), pass.clone(), pass.clone()}, 1, 3);
    double h = -(0.7 * Math.log(0.7f) + 0.2 * Math.log(0.2f) + 0.1 * Math.log(0.1f));
    assertEquals(h, mc.entropy()[0], 1e-6);
    assertEquals(h, mc.expectedEntropy()[0], 1e-6);
    assertEquals(0, mc.mutualInformation()[0], 1e-7, "every pass agrees: MI = 0");
    assertEquals(0, mc.variationRatio()[0], 0f);
    assertEquals(0, mc.std()[0], 1e-7);
  }

  @Test
  void twoConfidentPassesThatDisagreeAreAllEpistemic() {
    MonteCarlo mc = summary(new float[][] {{1, 0}, {0, 1}}, 1, 2);
    assertEquals(Math.log(2), mc.entropy()[0], 1e-7, "the mean is (1/2, 1/2)");
    assertEquals(0, mc.expectedEntropy()[0], 0f, "0 ln 0 = 0: each pass is certain");
    assertEquals(Math.log(2), mc.mutualInformation()[0], 1e-7);
    assertEquals(0.5, mc.variationRatio()[0], 0f, "the modal class wins 1 of 2 passes");
    assertEquals(0.5, mc.std()[0], 1e-7);
  }

  /** Random passes over several examples: every output recomputed from the stored passes. */
  @Test
  void everyMeasureIsItsFormulaOnRandomPasses() {
    int passes = 30;
    int count = 7;
    int classes = 5;
    Random random = new Random(11);
    float[][] p = new float[passes][count * classes];
    for (float[] pass : p) {
      for (int i = 0; i < count; i++) {
        double[] logits = new double[classes];
        double total = 0;
        for (int c = 0; c < classes; c++) {
          logits[c] = Math.exp(2 * random.nextGaussian());
          total += logits[c];
        }
        for (int c = 0; c < classes; c++) {
          pass[i * classes + c] = (float) (logits[c] / total);
        }
      }
    }
    MonteCarlo mc = summary(p, count, classes);
    assertEquals(passes, mc.samples());
    for (int i = 0; i < count; i++) {
      double[] mean = new double[classes];
      double expected = 0;
      int[] votes = new int[classes];
      for (float[] pass : p) {
        int best = 0;
        for (int c = 0; c < classes; c++) {
          double v = pass[i * classes + c];
          mean[c] += v / passes;
          expected -= v > 0 ? v * Math.log(v) / passes : 0;
          if (v > pass[i * classes + best]) {
            best = c;
          }
        }
        votes[best]++;
      }
      double entropy = 0;
      int modal = 0;
      for (int c = 0; c < classes; c++) {
        entropy -= mean[c] * Math.log(mean[c]);
        modal = Math.max(modal, votes[c]);
        double variance = 0;
        for (float[] pass : p) {
          variance += Math.pow(pass[i * classes + c] - mean[c], 2) / passes;
        }
        assertEquals(mean[c], mc.mean()[i * classes + c], 1e-6);
        assertEquals(Math.sqrt(variance), mc.std()[i * classes + c], 1e-5);
      }
      assertEquals(entropy, mc.entropy()[i], 1e-5, "predictive entropy, example " + i);
      assertEquals(expected, mc.expectedEntropy()[i], 1e-5, "expected entropy, example " + i);
      assertEquals(entropy - expected, mc.mutualInformation()[i], 1e-5, "MI, example " + i);
      assertTrue(mc.mutualInformation()[i] > 0, "passes that differ: MI > 0");
      assertEquals(1 - (double) modal / passes, mc.variationRatio()[i], 1e-6);
    }
  }

  @Test
  void aPassOfTheWrongSizeAndNoPassAtAllAreRefused() {
    MonteCarlo.Accumulator a = new MonteCarlo.Accumulator(2, 3);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> a.add(new float[5]));
    assertTrue(e.getMessage().contains("2 examples of 3 classes need 6"), e.getMessage());
    assertThrows(IllegalStateException.class, a::result);
  }
}
