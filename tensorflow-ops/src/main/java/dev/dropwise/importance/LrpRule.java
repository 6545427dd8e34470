package dev.dropwise.importance;

import dev.dropwise.network.Network;
import java.util.Arrays;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A layer-wise relevance propagation rule for a linear layer {@code z = a W + b} (Dense, or Conv2D
 * where {@code a W} is the convolution and {@code ·Wᵀ} its transpose; a BatchNorm folded in): given
 * the relevance {@code R} of its outputs, the relevance of its inputs {@code a}. Each rule is
 * written in matrix form, as zennit writes its rules:
 *
 * <pre>
 *   ε:    R_in = a ⊙ ((R ⊘ (z + ε·sign(z))) Wᵀ),                     sign(0) = 1
 *   z+:   R_in = a⁺ ⊙ ((R ⊘ z⁺) W⁺ᵀ) + a⁻ ⊙ ((R ⊘ z⁺) W⁻ᵀ),      z⁺ = a⁺W⁺ + a⁻W⁻   (no bias)
 *   αβ:   R_in = α·[positive part as z+] − β·[a⁺ ⊙ ((R ⊘ z⁻) W⁻ᵀ) + a⁻ ⊙ ((R ⊘ z⁻) W⁺ᵀ)],
 *         z⁻ = a⁺W⁻ + a⁻W⁺,  α − β = 1                                 (no bias)
 *   γ:    W' = W + γW⁺, b' = b + γb⁺;  R_in = a ⊙ ((R ⊘ (z' + ε·sign(z'))) W'ᵀ)
 *   z^B:  z^B = aW − lW⁺ − hW⁻,  s = R ⊘ (z^B + ε·sign(z^B));
 *         R_in = a ⊙ (s Wᵀ) − l ⊙ (s W⁺ᵀ) − h ⊙ (s W⁻ᵀ)             (first layer; no bias)
 *   flat: R_in = (R ⊘ (1 W₁)) W₁ᵀ,  W₁ all ones                       (first layer; no bias)
 * </pre>
 *
 * The last two only explain inputs (zennit's {@code ZBox} and {@code Flat}): z^B needs the lowest
 * and highest value {@code l, h} each input can take, and the flat rule spreads a unit's relevance
 * evenly over the inputs it sees, whatever their values. A {@link LrpComposite} says which rule
 * each layer gets.
 *
 * <p>Divisions by a zero denominator give 0 (a unit with no contribution passes no relevance).
 */
public sealed interface LrpRule {
  /** Stabiliser of the z+ and αβ denominators: only there to keep 0/0 out. */
  float TINY = 1e-12f;

  /**
   * The relevance of {@code layer}'s input {@code a}, given {@code relevance} at its
   * pre-activation.
   */
  default Operand<TFloat32> propagate(
      Ops tf, Operand<TFloat32> a, Network.Linear layer, Operand<TFloat32> relevance) {
    return propagate(tf, a, layer, layer.lrpKernel(tf), layer.lrpBias(tf), relevance);
  }

  /** {@link #propagate} with the layer's map over the given kernel and bias. */
  Operand<TFloat32> propagate(
      Ops tf,
      Operand<TFloat32> a,
      Network.Linear layer,
      Operand<TFloat32> kernel,
      Operand<TFloat32> bias,
      Operand<TFloat32> relevance);

  /** The rule's name in a measure's name: {@code eps}, {@code zplus}, {@code alpha2beta1}, ... */
  String text();

  /** ε rule with a sign-aware stabiliser. */
  record Epsilon(float epsilon) implements LrpRule {
    /** Refuses a negative epsilon. */
    public Epsilon {
      if (!(epsilon >= 0)) {
        throw new IllegalArgumentException(
            "LRP epsilon=" + epsilon + " is not allowed: must be >= 0");
      }
    }

    @Override
    public Operand<TFloat32> propagate(
        Ops tf,
        Operand<TFloat32> a,
        Network.Linear layer,
        Operand<TFloat32> kernel,
        Operand<TFloat32> bias,
        Operand<TFloat32> relevance) {
      Operand<TFloat32> z = tf.math.add(layer.map(tf, a, kernel), bias);
      return tf.math.mul(
          a,
          layer.adjoint(
              tf,
              LrpMath.safeDivide(tf, relevance, LrpMath.stabilised(tf, z, epsilon)),
              kernel,
              a));
    }

    @Override
    public String text() {
      return "eps";
    }
  }

  /** z+ rule: only positive contributions carry relevance. */
  record ZPlus() implements LrpRule {
    @Override
    public Operand<TFloat32> propagate(
        Ops tf,
        Operand<TFloat32> a,
        Network.Linear layer,
        Operand<TFloat32> kernel,
        Operand<TFloat32> bias,
        Operand<TFloat32> relevance) {
      return Signs.of(tf, a, kernel).part(tf, layer, relevance, true);
    }

    @Override
    public String text() {
      return "zplus";
    }
  }

  /**
   * αβ rule, α − β = 1: α1β0 equals z+ with an explicit weighting, α2β1 also charges negative
   * contributions.
   */
  record AlphaBeta(float alpha, float beta) implements LrpRule {
    /** Refuses alpha - beta other than 1, or a negative beta. */
    public AlphaBeta {
      if (Math.abs(alpha - beta - 1) > 1e-6 || beta < 0) {
        throw new IllegalArgumentException(
            "LRP alpha="
                + alpha
                + ", beta="
                + beta
                + " is not allowed: need alpha - beta = 1 and beta >= 0");
      }
    }

    @Override
    public Operand<TFloat32> propagate(
        Ops tf,
        Operand<TFloat32> a,
        Network.Linear layer,
        Operand<TFloat32> kernel,
        Operand<TFloat32> bias,
        Operand<TFloat32> relevance) {
      Signs signs = Signs.of(tf, a, kernel);
      Operand<TFloat32> positive = signs.part(tf, layer, relevance, true);
      if (beta == 0) {
        return tf.math.mul(tf.constant(alpha), positive);
      }
      Operand<TFloat32> negative = signs.part(tf, layer, relevance, false);
      return tf.math.sub(
          tf.math.mul(tf.constant(alpha), positive), tf.math.mul(tf.constant(beta), negative));
    }

    @Override
    public String text() {
      return "alpha" + fmt(alpha) + "beta" + fmt(beta);
    }
  }

  /** γ rule: positive weights (and biases) boosted by γ, ε-stabilised. */
  record Gamma(float gamma, float epsilon) implements LrpRule {
    /** Refuses a negative gamma. */
    public Gamma {
      if (!(gamma >= 0)) {
        throw new IllegalArgumentException("LRP gamma=" + gamma + " is not allowed: must be >= 0");
      }
    }

    @Override
    public Operand<TFloat32> propagate(
        Ops tf,
        Operand<TFloat32> a,
        Network.Linear layer,
        Operand<TFloat32> kernel,
        Operand<TFloat32> bias,
        Operand<TFloat32> relevance) {
      // The ε rule on the boosted weights.
      Operand<TFloat32> w =
          tf.math.add(kernel, tf.math.mul(tf.constant(gamma), tf.nn.relu(kernel)));
      Operand<TFloat32> b = tf.math.add(bias, tf.math.mul(tf.constant(gamma), tf.nn.relu(bias)));
      return new Epsilon(epsilon).propagate(tf, a, layer, w, b, relevance);
    }

    @Override
    public String text() {
      return "gamma";
    }
  }

  /**
   * z^B rule (Montavon et al. 2017) for inputs bounded by {@code low} and {@code high} (each one
   * value, or one per input feature in the network's flat input order), in the network's input
   * space: the root point is searched inside the box, so the relevance it passes down is conserved
   * (and positive where the relevance it receives is).
   */
  record ZBox(float[] low, float[] high, float epsilon) implements LrpRule {
    /** Refuses bounds of different lengths or none, and a low bound above its high bound. */
    public ZBox {
      if (low.length != high.length || low.length == 0) {
        throw new IllegalArgumentException(
            "z^B bounds: " + low.length + " low but " + high.length + " high values");
      }
      for (int i = 0; i < low.length; i++) {
        if (!(low[i] <= high[i])) {
          throw new IllegalArgumentException(
              "z^B bounds: low " + low[i] + " above high " + high[i] + " at input " + i);
        }
      }
      low = low.clone();
      high = high.clone();
    }

    @Override
    public Operand<TFloat32> propagate(
        Ops tf,
        Operand<TFloat32> a,
        Network.Linear layer,
        Operand<TFloat32> kernel,
        Operand<TFloat32> bias,
        Operand<TFloat32> relevance) {
      Operand<TFloat32> l = like(tf, a, low, true);
      Operand<TFloat32> h = like(tf, a, high, false);
      Operand<TFloat32> wPos = tf.nn.relu(kernel);
      Operand<TFloat32> wNeg = tf.math.neg(tf.nn.relu(tf.math.neg(kernel)));
      Operand<TFloat32> z =
          tf.math.sub(
              tf.math.sub(layer.map(tf, a, kernel), layer.map(tf, l, wPos)),
              layer.map(tf, h, wNeg));
      Operand<TFloat32> s = LrpMath.safeDivide(tf, relevance, LrpMath.stabilised(tf, z, epsilon));
      return tf.math.sub(
          tf.math.sub(
              tf.math.mul(a, layer.adjoint(tf, s, kernel, a)),
              tf.math.mul(l, layer.adjoint(tf, s, wPos, a))),
          tf.math.mul(h, layer.adjoint(tf, s, wNeg, a)));
    }

    /**
     * A bound as a tensor of {@code a}'s shape: per feature where {@code a} is the input, else (a
     * pooling came first) the loosest bound of all features, which still holds after pooling.
     */
    private static Operand<TFloat32> like(Ops tf, Operand<TFloat32> a, float[] bound, boolean low) {
      long perExample = 1;
      for (int d = 1; d < a.shape().numDimensions(); d++) {
        perExample *= a.shape().get(d);
      }
      Operand<TFloat32> b;
      if (bound.length == 1 || bound.length != perExample) {
        float loosest = bound[0];
        for (float v : bound) {
          loosest = low ? Math.min(loosest, v) : Math.max(loosest, v);
        }
        b = tf.constant(loosest);
      } else {
        long[] shape = a.shape().asArray();
        shape[0] = 1;
        b = tf.reshape(tf.constant(bound), tf.constant(shape));
      }
      return tf.math.add(tf.zerosLike(a), b);
    }

    @Override
    public String text() {
      return "zbox";
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof ZBox z
          && Arrays.equals(z.low, low)
          && Arrays.equals(z.high, high)
          && z.epsilon == epsilon;
    }

    @Override
    public int hashCode() {
      return (31 * Arrays.hashCode(low) + Arrays.hashCode(high)) * 31 + Float.hashCode(epsilon);
    }

    @Override
    public String toString() {
      return "ZBox[" + low.length + " bounds, epsilon=" + epsilon + "]";
    }
  }

  /** Flat rule: every input a unit sees gets an equal share of its relevance. */
  record Flat() implements LrpRule {
    @Override
    public Operand<TFloat32> propagate(
        Ops tf,
        Operand<TFloat32> a,
        Network.Linear layer,
        Operand<TFloat32> kernel,
        Operand<TFloat32> bias,
        Operand<TFloat32> relevance) {
      Operand<TFloat32> ones = tf.onesLike(kernel);
      Operand<TFloat32> z = layer.map(tf, tf.onesLike(a), ones);
      return layer.adjoint(tf, LrpMath.safeDivide(tf, relevance, z), ones, a);
    }

    @Override
    public String text() {
      return "flat";
    }
  }

  private static String fmt(float v) {
    return v == Math.rint(v) ? String.valueOf((int) v) : String.valueOf(v);
  }

  /** Activations and weights split by sign: contributions a·w are positive for a⁺w⁺ and a⁻w⁻. */
  record Signs(
      Operand<TFloat32> aPos,
      Operand<TFloat32> aNeg,
      Operand<TFloat32> wPos,
      Operand<TFloat32> wNeg) {
    static Signs of(Ops tf, Operand<TFloat32> a, Operand<TFloat32> kernel) {
      return new Signs(
          tf.nn.relu(a),
          tf.math.neg(tf.nn.relu(tf.math.neg(a))),
          tf.nn.relu(kernel),
          tf.math.neg(tf.nn.relu(tf.math.neg(kernel))));
    }

    /**
     * The relevance carried by the positive contributions ({@code positive}: a⁺W⁺ and a⁻W⁻, over
     * z⁺) or by the negative ones (a⁺W⁻ and a⁻W⁺, over z⁻).
     */
    Operand<TFloat32> part(
        Ops tf, Network.Linear layer, Operand<TFloat32> relevance, boolean positive) {
      Operand<TFloat32> wWithPositiveA = positive ? wPos : wNeg;
      Operand<TFloat32> wWithNegativeA = positive ? wNeg : wPos;
      Operand<TFloat32> z =
          tf.math.add(layer.map(tf, aPos, wWithPositiveA), layer.map(tf, aNeg, wWithNegativeA));
      Operand<TFloat32> s = LrpMath.safeDivide(tf, relevance, z);
      return tf.math.add(
          tf.math.mul(aPos, layer.adjoint(tf, s, wWithPositiveA, aPos)),
          tf.math.mul(aNeg, layer.adjoint(tf, s, wWithNegativeA, aNeg)));
    }
  }
}
