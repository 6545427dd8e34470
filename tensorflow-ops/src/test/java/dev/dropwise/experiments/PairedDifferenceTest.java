package dev.dropwise.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class PairedDifferenceTest {

  private static Comparison.Run run(String method, long seed, double accuracy) {
    return new Comparison.Run(method, seed, 0.3, accuracy, 20, 100, List.of(), null);
  }

  @Test
  void identicalRunsAreNoDifference() {
    List<Comparison.Run> a = List.of(run("a", 1, 0.9), run("a", 2, 0.8));
    List<Comparison.Run> b = List.of(run("b", 1, 0.9), run("b", 2, 0.8));
    assertEquals(new PairedDifference(2, 0, 0, 1), PairedDifference.of(a, b));
  }

  @Test
  void theSameNonzeroDifferenceOnEverySeedIsNoTest() {
    List<Comparison.Run> a = List.of(run("a", 1, 0.9), run("a", 2, 0.8));
    List<Comparison.Run> b = List.of(run("b", 1, 0.85), run("b", 2, 0.75));
    PairedDifference d = PairedDifference.of(a, b);
    assertEquals(5.0, d.meanPoints(), 1e-9);
    assertEquals(false, d.significant());
    assertEquals("+5.00 points against b on each of 2 paired seeds alike: no spread to test against, no test",
        d.describe("b"));
  }
}
