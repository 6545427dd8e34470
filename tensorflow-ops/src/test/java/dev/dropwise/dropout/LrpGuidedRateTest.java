package dev.dropwise.dropout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dropwise.importance.ImportanceSpec;
import dev.dropwise.importance.ScoreSource;
import dev.dropwise.network.Activation;
import dev.dropwise.network.DenseWeights;
import dev.dropwise.network.Network;
import dev.dropwise.ops.DropoutOps;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * LRP-guided dropout as shipped ({@code select=rank}) drops a unit more often the more relevant it
 * is, at exactly {@code q = p·(1 + bias·(2r − 1))}; standard dropout drops every unit alike.
 * Measured on a fixed 12-24-5 ReLU net and a fixed batch over many mask seeds, against a relevance
 * ranking computed apart from the dropout layer.
 */
class LrpGuidedRateTest {
  static final int FEATURES = 12;
  static final int UNITS = 24;
  static final int ROWS = 40;
  static final int STEPS = 400;

  /** Per unit: its relevance rank fraction (1 = most relevant) and how often it was dropped. */
  record Measured(double[] rank, double[] dropped) {}

  static Measured measure(DropoutSpec method) {
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Random r = new Random(7);
      Network net =
          Network.dense(
              tf,
              List.of(
                  new DenseWeights(gaussian(r, FEATURES, UNITS), new float[UNITS], Activation.RELU),
                  new DenseWeights(gaussian(r, UNITS, 5), new float[5], Activation.LINEAR)));
      Placeholder<TFloat32> x =
          tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, FEATURES)));
      Placeholder<TInt64> step = tf.placeholder(TInt64.class, Placeholder.shape(Shape.scalar()));
      List<Op> updates = new ArrayList<>();
      ScoreSource scores = new ScoreSource(tf, net, x, null, tf.constant(0L));
      Operand<TFloat32> hidden = net.forward(tf, x).hidden().get(0);
      DropoutContext ctx =
          new DropoutContext(
              tf,
              tf.constant(true),
              DropoutOps.create(tf).seed(5, 0, step),
              tf.constant(0L),
              tf.constant(0f),
              0,
              scores,
              updates,
              null,
              null,
              null,
              null);
      Masked masked = method.apply(ctx, hidden);
      // The reference ranking: batch-mean |LRP-eps| of the hidden units over the whole batch.
      Operand<TFloat32> relevance =
          tf.math.mean(
              tf.math.abs(ImportanceSpec.parse("lrp-eps").scores(tf, net, x, null).get(0)),
              tf.constant(0));
      float[] input = new float[ROWS * FEATURES];
      for (int i = 0; i < input.length; i++) {
        input[i] = r.nextFloat();
      }
      double[] dropped = new double[UNITS];
      float[] reference = null;
      try (Session session = new Session(graph);
          TFloat32 xs =
              TFloat32.tensorOf(Shape.of(ROWS, FEATURES), DataBuffers.of(input, true, false))) {
        for (long s = 0; s < STEPS; s++) {
          try (TInt64 st = TInt64.scalarOf(s);
              Result out =
                  session
                      .runner()
                      .feed(x, xs)
                      .feed(step, st)
                      .fetch(masked.multiplier())
                      .fetch(relevance)
                      .run()) {
            float[] multiplier = values((TFloat32) out.get(0));
            reference = values((TFloat32) out.get(1));
            for (int i = 0; i < multiplier.length; i++) {
              dropped[i % UNITS] += multiplier[i] == 0f ? 1.0 / (ROWS * STEPS) : 0;
            }
          }
        }
      }
      Integer[] order = new Integer[UNITS];
      Arrays.setAll(order, i -> i);
      float[] rel = reference;
      // Ascending relevance; equal relevance (dead units) ranked as TopK ranks it: the lower index
      // higher.
      Arrays.sort(
          order,
          (a, b) -> rel[a] != rel[b] ? Float.compare(rel[a], rel[b]) : Integer.compare(b, a));
      double[] rank = new double[UNITS];
      for (int position = 0; position < UNITS; position++) {
        rank[order[position]] = (double) position / (UNITS - 1);
      }
      return new Measured(rank, dropped);
    }
  }

  @Test
  void eachUnitIsDroppedAtTheRateItsRelevanceRankGives() {
    double p = 0.35;
    double bias = 0.5;
    // Relevance of the whole batch (timing=current, examples=all), so the ranking is the
    // reference's.
    Measured m = measure(DropoutSpec.parse("lrp:p=0.35,bias=0.5,timing=current,examples=all"));
    for (int u = 0; u < UNITS; u++) {
      double q = p * (1 + bias * (2 * m.rank()[u] - 1));
      // 16,000 draws per unit: a standard error of at most 0.004; 4.5 of them.
      assertEquals(q, m.dropped()[u], 0.018, "unit " + u + " at rank " + m.rank()[u]);
    }
    assertEquals(
        2 * p * bias, slope(m), 0.03, "the rate rises by 2·p·bias from least to most relevant");
  }

  @Test
  void standardDropoutDropsEveryUnitAlikeWhateverItsRank() {
    Measured m = measure(DropoutSpec.parse("standard:p=0.35"));
    for (int u = 0; u < UNITS; u++) {
      assertEquals(0.35, m.dropped()[u], 0.018, "unit " + u);
    }
    assertTrue(Math.abs(slope(m)) < 0.03, "no trend with relevance: slope " + slope(m));
  }

  /** Least-squares slope of the drop rate against the rank fraction. */
  static double slope(Measured m) {
    double meanRank = Arrays.stream(m.rank()).average().orElseThrow();
    double meanRate = Arrays.stream(m.dropped()).average().orElseThrow();
    double covariance = 0;
    double variance = 0;
    for (int u = 0; u < UNITS; u++) {
      covariance += (m.rank()[u] - meanRank) * (m.dropped()[u] - meanRate);
      variance += (m.rank()[u] - meanRank) * (m.rank()[u] - meanRank);
    }
    return covariance / variance;
  }

  static float[][] gaussian(Random r, int rows, int cols) {
    float[][] w = new float[rows][cols];
    for (float[] row : w) {
      for (int j = 0; j < cols; j++) {
        row[j] = (float) r.nextGaussian() * 0.5f;
      }
    }
    return w;
  }

  static float[] values(TFloat32 t) {
    float[] v = new float[(int) t.size()];
    t.copyTo(DataBuffers.of(v, false, false));
    return v;
  }
}
