package dev.dropwise.importance;

import dev.dropwise.network.Recurrent;
import dev.dropwise.network.RecurrentCell;
import dev.dropwise.network.StepDropout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Stack;
import org.tensorflow.op.core.Unstack;
import org.tensorflow.types.TFloat32;

/**
 * LRP through a recurrent layer with the gate rules of Arras et al. (2017, "Explaining recurrent
 * neural network predictions in sentiment analysis"): a gate is a weight, not a source — relevance
 * passes through the candidate and the carried state, never into a gate — and every linear map
 * takes the ε rule. Both cells carry {@code new = keep ⊙ old + update ⊙ candidate} ({@link
 * RecurrentCell.Step}), so step t, from the relevance {@code R} of what it carries:
 *
 * <pre>
 *   R_old       = keep ⊙ old ⊙ R / (new + ε·sign(new))
 *   R_candidate = update ⊙ candidate ⊙ R / (new + ε·sign(new))
 *   s           = R_candidate / (candidateInput + ε·sign(candidateInput))
 *   R_x(t)      = x_t ⊙ (s W_cᵀ),   R_h(t−1) += h_{t−1} ⊙ ((reset ⊙ s) R_cᵀ)
 * </pre>
 *
 * The LSTM carries its cell: {@code h_t = o ⊙ tanh(c_t)} gives all of {@code R_h(t)} to {@code c_t}
 * (the output gate takes none), and {@code R_old} goes to {@code c_{t−1}}; the GRU carries {@code
 * h} itself, so {@code R_old} joins {@code R_h(t−1)}. The biases keep their share (Arras's bias
 * factor 0), so the relevance is conserved where the biases are zero, up to ε. The GRU's rule is
 * the same reading of its gates; Arras et al. wrote theirs for the LSTM. A layer with zoneout is
 * refused: its mixing of states is not a gate these rules cover.
 */
final class RecurrentLrp {
  /** ε of every linear map inside the cell, as Arras et al. use. */
  static final float EPSILON = 1e-3f;

  private RecurrentLrp() {}

  /** Whether these rules cover {@code layer}: not where zoneout mixes its states. */
  static boolean covers(Recurrent layer) {
    return layer.zoneout() == 0;
  }

  /**
   * The relevance of the layer's input {@code [N, T, F]} and of its output at every step, {@code
   * [N, T, U]} (what arrives at {@code h_t}, from above and from the later steps).
   */
  record Relevance(Operand<TFloat32> input, Operand<TFloat32> steps) {}

  /**
   * Relevance through {@code layer} over its input {@code a [N, T, F]}, given {@code relevance} of
   * its output ({@code [N, U]}, or {@code [N, T, U]} for a layer returning every step).
   */
  static Relevance propagate(
      Ops tf, Recurrent layer, Operand<TFloat32> a, Operand<TFloat32> relevance) {
    return propagate(tf, layer, a, relevance, EPSILON);
  }

  /** {@link #propagate(Ops, Recurrent, Operand, Operand)} with another ε. */
  static Relevance propagate(
      Ops tf, Recurrent layer, Operand<TFloat32> a, Operand<TFloat32> relevance, float epsilon) {
    if (layer.zoneout() > 0) {
      throw new IllegalArgumentException(
          "LRP through a recurrent layer with zoneout="
              + layer.zoneout()
              + " is not defined: the gate rules of Arras et al. cover gates, not zoneout's mixing "
              + "of states; use a gradient measure (gradient, conductance) instead");
    }
    Ops s = tf.withSubScope("recurrent_lrp");
    int steps = (int) a.shape().get(1);
    int units = layer.units();
    RecurrentCell cell = layer.cell();
    Recurrent.Unrolled unrolled = layer.unroll(s, a, StepDropout.NONE, null);
    List<Output<TFloat32>> x = s.unstack(a, (long) steps, Unstack.axis(1L)).output();
    Operand<TFloat32> wc = candidateColumns(s, layer.kernel(), cell, units);
    Operand<TFloat32> rc = candidateColumns(s, layer.recurrentKernel(), cell, units);
    Operand<TFloat32> zero = s.math.mul(unrolled.steps().get(0), s.constant(0f));
    List<Operand<TFloat32>> atH = new ArrayList<>(fromAbove(s, layer, relevance, steps));
    Operand<TFloat32>[] atInput = newArray(steps);
    Operand<TFloat32>[] perStep = newArray(steps);
    Operand<TFloat32> carried = null; // the LSTM's R_c from the step after
    for (int t = steps - 1; t >= 0; t--) {
      RecurrentCell.Step step = unrolled.cells().get(t);
      Operand<TFloat32> rh = atH.get(t) == null ? zero : atH.get(t);
      perStep[t] = rh;
      boolean lstm = cell == RecurrentCell.LSTM;
      Operand<TFloat32> r = lstm && carried != null ? s.math.add(rh, carried) : rh;
      Operand<TFloat32> hBefore = t == 0 ? zero : unrolled.steps().get(t - 1);
      Operand<TFloat32> now = lstm ? step.state().c() : step.state().h();
      Operand<TFloat32> before =
          lstm ? (t == 0 ? zero : unrolled.cells().get(t - 1).state().c()) : hBefore;
      Operand<TFloat32> ratio = LrpMath.safeDivide(s, r, LrpMath.stabilised(s, now, epsilon));
      Operand<TFloat32> toOld = s.math.mul(s.math.mul(step.keep(), before), ratio);
      Operand<TFloat32> toCandidate =
          s.math.mul(s.math.mul(step.update(), step.candidate()), ratio);
      Operand<TFloat32> share =
          LrpMath.safeDivide(s, toCandidate, LrpMath.stabilised(s, step.candidateInput(), epsilon));
      atInput[t] = s.math.mul(x.get(t), transposedProduct(s, share, wc));
      Operand<TFloat32> recurrentShare =
          step.reset() == null ? share : s.math.mul(share, step.reset());
      if (t > 0) {
        Operand<TFloat32> toH = s.math.mul(hBefore, transposedProduct(s, recurrentShare, rc));
        if (!lstm) {
          toH = s.math.add(toH, toOld);
        } else {
          carried = toOld;
        }
        atH.set(t - 1, atH.get(t - 1) == null ? toH : s.math.add(atH.get(t - 1), toH));
      }
    }
    return new Relevance(
        s.stack(Arrays.asList(atInput), Stack.axis(1L)),
        s.stack(Arrays.asList(perStep), Stack.axis(1L)));
  }

  /**
   * What arrives at each {@code h_t} from above: every step's, or the last step's only (null:
   * none).
   */
  private static List<Operand<TFloat32>> fromAbove(
      Ops s, Recurrent layer, Operand<TFloat32> relevance, int steps) {
    List<Operand<TFloat32>> out = new ArrayList<>();
    if (layer.sequences()) {
      out.addAll(s.unstack(relevance, (long) steps, Unstack.axis(1L)).output());
    } else {
      for (int t = 0; t < steps - 1; t++) {
        out.add(null);
      }
      out.add(relevance);
    }
    return out;
  }

  /** The candidate's columns {@code [rows, U]} of a kernel {@code [rows, G·U]}. */
  private static Operand<TFloat32> candidateColumns(
      Ops s, Operand<TFloat32> kernel, RecurrentCell cell, int units) {
    return s.slice(
        kernel,
        s.constant(new int[] {0, cell.candidateGate() * units}),
        s.constant(new int[] {-1, units}));
  }

  /** {@code share Wᵀ}. */
  private static Operand<TFloat32> transposedProduct(
      Ops s, Operand<TFloat32> share, Operand<TFloat32> w) {
    return s.linalg.matMul(share, w, org.tensorflow.op.linalg.MatMul.transposeB(true));
  }

  @SuppressWarnings("unchecked")
  private static Operand<TFloat32>[] newArray(int n) {
    return (Operand<TFloat32>[]) new Operand<?>[n];
  }
}
