package dev.dropwise.schedule;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dropwise.data.Dataset;
import dev.dropwise.dropout.DropoutSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RateScheduleTest {

  static ScheduleContext.Validation epoch(int e, double valLoss, double valAccuracy) {
    return new ScheduleContext.Validation(valLoss, valAccuracy);
  }

  static ScheduleContext at(
      int epoch,
      int epochs,
      int depth,
      int maxDepth,
      List<ScheduleContext.Validation> history,
      double d) {
    return new ScheduleContext(epoch, epochs, depth, maxDepth, history, d);
  }

  @Test
  void adaptiveFollowsEquationOneInBothReadings() {
    AdaptiveRate prose = new AdaptiveRate(0.5, 0.4, 2, 1.5, AdaptiveRate.Reading.PROSE);
    AdaptiveRate written = new AdaptiveRate(0.5, 0.4, 2, 1.5, AdaptiveRate.Reading.AS_WRITTEN);
    for (int depth = 1; depth <= 3; depth++) {
      for (int e = 0; e < 10; e++) {
        double depthFactor = 1 - 0.4 * Math.pow(depth / 3.0, 2);
        assertEquals(
            0.5 * depthFactor * Math.pow(e / 10.0, 1.5),
            written.rate(at(e, 10, depth, 3, List.of(), 0)),
            1e-12);
        assertEquals(
            0.5 * depthFactor * Math.pow(1 - e / 10.0, 1.5),
            prose.rate(at(e, 10, depth, 3, List.of(), 0)),
            1e-12);
      }
    }
    assertEquals(
        0,
        written.rate(at(0, 10, 1, 3, List.of(), 0)),
        "as written, the first epoch has no dropout");
    assertEquals(
        0.5 * (1 - 0.4 / 9),
        prose.rate(at(0, 10, 1, 3, List.of(), 0)),
        1e-12,
        "the prose reading starts near r0");
  }

  @Test
  void dynamicAlphaIsTheSigmoidOfTheValidationLoss() {
    AdaptiveRate adaptive = new AdaptiveRate(0.5, 0.3, 1, 1, AdaptiveRate.Reading.PROSE);
    DynamicAlphaRate dynamic = new DynamicAlphaRate(adaptive, 4, 0.5);
    assertEquals(
        0.3,
        dynamic.alpha(at(0, 5, 1, 2, List.of(), 0)),
        0,
        "before any validation: the base alpha");
    List<ScheduleContext.Validation> history = List.of(epoch(1, 0.8, 0.7));
    double alpha = 1 / (1 + Math.exp(-4 * (0.8 - 0.5)));
    assertEquals(alpha, dynamic.alpha(at(1, 5, 1, 2, history, 0)), 1e-12);
    assertEquals(
        0.5 * (1 - alpha * 0.5) * (1 - 1 / 5.0), dynamic.rate(at(1, 5, 1, 2, history, 0)), 1e-12);
  }

  @Test
  void contextualIsTheProductOfGHAndI() {
    ContextualRate contextual = new ContextualRate(0.6, 3, 1.5, 0.8, null);
    List<ScheduleContext.Validation> history = List.of(epoch(1, 0.4, 0.85), epoch(2, 0.35, 0.9));
    ScheduleContext c = at(2, 8, 1, 1, history, 0.3);
    double g = 1 - Math.exp(-3 * 0.3);
    double h = 1 - 1 / (1 + Math.exp(-1.5 * (2 - 4)));
    double i = 1 + 0.8 * Math.log(0.9);
    assertEquals(g, contextual.g(c), 1e-12);
    assertEquals(h, contextual.h(c), 1e-12);
    assertEquals(i, contextual.i(c), 1e-12);
    assertEquals(0.6 * g * h * i, contextual.rate(c), 1e-12);
    assertEquals(
        1, contextual.i(at(0, 8, 1, 1, List.of(), 0.3)), 0, "no validation yet: no adjustment");
  }

  @Test
  void annealedAndCurriculumFollowTheirFormulas() {
    AnnealedRate annealed = new AnnealedRate(0.5, 0.1, 4);
    double[] expected = {0.5, 0.4, 0.3, 0.2, 0.1, 0.1};
    for (int e = 0; e < expected.length; e++) {
      assertEquals(expected[e], annealed.rate(at(e, 6, 1, 1, List.of(), 0)), 1e-12);
    }
    CurriculumRate curriculum = new CurriculumRate(0.5, 0.7);
    double thetaBar = 1 - 0.5; // the final keep probability
    for (int e = 0; e < 6; e++) {
      double theta = (1 - thetaBar) * Math.exp(-0.7 * e) + thetaBar;
      assertEquals(1 - theta, curriculum.rate(at(e, 6, 1, 1, List.of(), 0)), 1e-12, "epoch " + e);
    }
  }

  @Test
  void integratedMixesByEfficacyWeightsAndUpdatesThemByItsRule() {
    IntegratedRate integrated =
        new IntegratedRate(List.of(new ConstantRate(0.2), new ConstantRate(0.6)), 2);
    List<ScheduleContext.Validation> history = new ArrayList<>();
    assertEquals(
        0.4, integrated.rate(at(0, 5, 1, 1, history, 0)), 1e-12, "equal weights: the mean");
    history.add(epoch(1, 0.5, 0.8));
    integrated.observe(at(0, 5, 1, 1, history, 0));
    assertArrayEquals(
        new double[] {0.5, 0.5}, integrated.weights(), 1e-12, "one epoch: nothing to compare yet");
    assertEquals(0.4, integrated.rate(at(1, 5, 1, 1, history, 0)), 1e-12);
    history.add(epoch(2, 0.4, 0.85)); // the loss fell by 20%
    integrated.observe(at(1, 5, 1, 1, history, 0));
    double delta = (0.5 - 0.4) / 0.5;
    double w0 = 0.5 * Math.exp(2 * delta * (0.2 - 0.4) / 0.4);
    double w1 = 0.5 * Math.exp(2 * delta * (0.6 - 0.4) / 0.4);
    assertArrayEquals(new double[] {w0 / (w0 + w1), w1 / (w0 + w1)}, integrated.weights(), 1e-12);
    assertTrue(
        integrated.weights()[1] > 0.5,
        "the loss improved: the schedule that asked for more dropout gains weight");
    assertEquals(
        (w0 * 0.2 + w1 * 0.6) / (w0 + w1), integrated.rate(at(2, 5, 1, 1, history, 0)), 1e-12);
    assertArrayEquals(new double[] {0.5, 0.5}, ((IntegratedRate) integrated.fresh()).weights(), 0);
  }

  @Test
  void datasetComplexityIsTheNearestClassMeanError() {
    Random r = new Random(1);
    int n = 400;
    float[] x = new float[n * 2];
    int[] separable = new int[n];
    int[] shuffled = new int[n];
    for (int i = 0; i < n; i++) {
      separable[i] = i % 2;
      shuffled[i] = r.nextInt(2);
      x[2 * i] = separable[i] * 10 + (float) r.nextGaussian() * 0.1f;
      x[2 * i + 1] = (float) r.nextGaussian() * 0.1f;
    }
    assertEquals(
        0, DatasetComplexity.nearestCentroidError(new Dataset(x, separable, 2, 2), 200), 0);
    double noise = DatasetComplexity.nearestCentroidError(new Dataset(x, shuffled, 2, 2), 200);
    assertEquals(0.5, noise, 0.1, "labels unrelated to the features: about half wrong");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "scheduled:schedule=adaptive",
        "scheduled:schedule=adaptive,reading=written,r0=0.4",
        "scheduled:schedule=dynamic-alpha,delta=3",
        "scheduled:schedule=contextual,tmid=2",
        "scheduled:schedule=annealed,start=0.6,end=0.2,epochs=3",
        "scheduled:schedule=curriculum,gamma=0.5",
        "scheduled:schedule=constant,r=0.3",
        "scheduled:schedule=integrated,of=adaptive+curriculum,eta=1"
      })
  void scheduledSpecsParseBackFromTheirText(String text) {
    DropoutSpec spec = DropoutSpec.parse(text);
    assertEquals(spec.text(), DropoutSpec.parse(spec.text()).text());
  }

  @Test
  void badSchedulesAreRefusedWithTheirNames() {
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () -> DropoutSpec.parse("scheduled:schedule=cosine"))
            .getMessage()
            .contains("schedule=cosine"));
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () -> DropoutSpec.parse("scheduled:schedule=adaptive,r0=1.2"))
            .getMessage()
            .contains("r0=1.2"));
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () -> DropoutSpec.parse("scheduled:schedule=curriculum,gamma=0"))
            .getMessage()
            .contains("gamma=0.0"));
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () -> DropoutSpec.parse("scheduled:schedule=annealed,r=0.3"))
            .getMessage()
            .contains("unknown parameter 'r'"));
  }
}
