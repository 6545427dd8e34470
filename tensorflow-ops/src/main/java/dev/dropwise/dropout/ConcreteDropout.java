package dev.dropwise.dropout;

import dev.dropwise.ops.Masks;
import dev.dropwise.util.Registry.Parameter;
import dev.dropwise.util.Settings;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Concrete dropout (Gal, Hron and Kendall 2017): each layer's drop rate {@code p = σ(logit)} is a
 * trainable variable, learned through a relaxed (Concrete) Bernoulli mask, with the regulariser
 * that makes it a variational objective. As the authors' code does: the drop mask of a value is
 * {@code z = σ((ln p − ln(1 − p) + ln u − ln(1 − u)) / t)}, u uniform, its output {@code x (1 − z)
 * / (1 − p)}; the loss gains {@code weight · ΣW² / (1 − p)} (W the kernel of the layer the dropout
 * feeds, past a Flatten; no such term where it feeds a pooling layer or nothing) and {@code dropout
 * · K · (p ln p + (1 − p) ln(1 − p))} (K the values per example it drops from). ε = 1e-7 is inside
 * the logarithms, of the mask as in the authors' code and of the regulariser too (theirs has none
 * there), so that a rate a float rounds to 0 or 1 gives no NaN. {@code weight} is the prior's
 * l²/(τN) and {@code dropout} 2/(τN) for N training examples and model precision τ; the defaults
 * are the authors'.
 *
 * <p>dropwise's choice: an export's Monte Carlo passes sample standard (hard Bernoulli) dropout at
 * the learned rate, the relaxation's limit as t → 0, rather than the relaxed mask itself.
 *
 * @param p the rate each layer starts from, in (0, 1)
 * @param temperature the relaxation's temperature t, above 0
 * @param weight the weight regulariser's coefficient, at least 0
 * @param dropout the rate regulariser's coefficient, at least 0
 */
public record ConcreteDropout(double p, double temperature, double weight, double dropout)
    implements LearnedRate {
  /** Inside the logarithms, as in the authors' code. */
  private static final float EPSILON = 1e-7f;

  /** Refuses a start rate outside (0, 1), a temperature of 0 or below, a negative coefficient. */
  public ConcreteDropout {
    if (!(p > 0 && p < 1)) {
      throw new IllegalArgumentException("p=" + p + " is not allowed: must be in (0, 1)");
    }
    if (!(temperature > 0 && Double.isFinite(temperature))) {
      throw new IllegalArgumentException(
          "t=" + temperature + " is not allowed: must be a finite number > 0");
    }
    if (!(weight >= 0 && Double.isFinite(weight))) {
      throw new IllegalArgumentException(
          "weight=" + weight + " is not allowed: must be a finite number >= 0");
    }
    if (!(dropout >= 0 && Double.isFinite(dropout))) {
      throw new IllegalArgumentException(
          "dropout=" + dropout + " is not allowed: must be a finite number >= 0");
    }
  }

  /** The registry's entry: {@code concrete:p=0.1,t=0.1,weight=1e-6,dropout=1e-5}. */
  static final class Method implements DropoutMethod {
    @Override
    public String name() {
      return "concrete";
    }

    @Override
    public String summary() {
      return "Concrete dropout: each layer's rate learned through a relaxed Bernoulli mask";
    }

    @Override
    public List<Parameter> parameters() {
      return List.of(
          new Parameter("p", "0.1", "the rate each layer starts from, in (0, 1)").writtenAlways(),
          new Parameter("t", "0.1", "the relaxation's temperature, > 0"),
          new Parameter("weight", "1e-6", "weight regulariser l^2/(tau N), >= 0"),
          new Parameter("dropout", "1e-5", "rate regulariser 2/(tau N), >= 0"));
    }

    @Override
    public DropoutSpec create(Settings written) {
      Settings s = written.bind(parameters());
      return new ConcreteDropout(
          BuiltInDropoutMethods.fixedRate(s),
          s.number("t"),
          s.number("weight"),
          s.number("dropout"));
    }
  }

  @Override
  public String name() {
    return "concrete";
  }

  @Override
  public Map<String, Object> settings() {
    return Map.of("p", p, "t", temperature, "weight", weight, "dropout", dropout);
  }

  @Override
  public UnitView featureMapUnits() {
    return UnitView.ELEMENTS;
  }

  /** Standard dropout at {@code rate}, rounded to six decimals (a float's learned value). */
  @Override
  public DropoutSpec atLearnedRate(double rate) {
    return new StandardDropout(Math.round(rate * 1e6) / 1e6);
  }

  @Override
  public Masked apply(DropoutContext ctx, Operand<TFloat32> x) {
    if (ctx.learning() == null) {
      throw new IllegalStateException(
          "Concrete dropout learns its rate while training: outside a training graph an export "
              + "samples standard dropout at the learned rate in its place");
    }
    Ops tf = ctx.tf();
    Variable<TFloat32> logit =
        ctx.learning().trainable("p_logit", tf.constant((float) (Math.log(p) - Math.log(1 - p))));
    Operand<TFloat32> rate = tf.withName("learned_rate").math.sigmoid(logit);
    ctx.learning().rate(rate);
    Operand<TFloat32> one = tf.constant(1f);
    Operand<TFloat32> eps = tf.constant(EPSILON);
    // The uniforms are data: no gradient runs into them (nor through tf.shape into x).
    Operand<TFloat32> u =
        tf.stopGradient(tf.random.statelessRandomUniform(tf.shape(x), ctx.seed(), TFloat32.class));
    Operand<TFloat32> drop =
        tf.math.sigmoid(
            tf.math.div(
                tf.math.add(
                    tf.math.sub(
                        tf.math.log(tf.math.add(rate, eps)),
                        tf.math.log(tf.math.add(tf.math.sub(one, rate), eps))),
                    tf.math.sub(
                        tf.math.log(tf.math.add(u, eps)),
                        tf.math.log(tf.math.add(tf.math.sub(one, u), eps)))),
                tf.constant((float) temperature)));
    // The gradient flows into the rate through the mask and the scale: no stopGradient here.
    Operand<TFloat32> multiplier =
        Masks.multiplier(tf, drop, tf.math.div(one, tf.math.sub(one, rate)), ctx.trainingFloat());
    ctx.learning().loss(regulariser(tf, rate, ctx.nextKernel(), (int) x.shape().get(1)));
    // Recorded as dropped where the relaxed mask drops more than half: the history's column.
    Operand<TFloat32> kept =
        tf.dtypes.cast(
            tf.math.logicalOr(
                tf.math.less(drop, tf.constant(0.5f)), tf.math.logicalNot(ctx.training())),
            TFloat32.class);
    return new Masked(tf.withName("dropout_output").math.mul(x, multiplier), kept);
  }

  /**
   * {@code weight · ΣW² / (1 − p) + dropout · K · (p ln p + (1 − p) ln(1 − p))}, the ln with ε
   * inside; no weight term without a kernel.
   */
  Operand<TFloat32> regulariser(Ops tf, Operand<TFloat32> rate, Operand<TFloat32> kernel, int k) {
    Operand<TFloat32> one = tf.constant(1f);
    Operand<TFloat32> eps = tf.constant(EPSILON);
    Operand<TFloat32> keep = tf.math.sub(one, rate);
    Operand<TFloat32> negativeEntropy =
        tf.math.add(
            tf.math.mul(rate, tf.math.log(tf.math.add(rate, eps))),
            tf.math.mul(keep, tf.math.log(tf.math.add(keep, eps))));
    Operand<TFloat32> rateTerm = tf.math.mul(tf.constant((float) (dropout * k)), negativeEntropy);
    if (kernel == null) {
      return tf.withName("concrete_regulariser").identity(rateTerm);
    }
    // x·x, not Square: the C API's gradient of Square crashes (TF 2.x SquareGrad via the C API).
    Operand<TInt32> all = tf.range(tf.constant(0), tf.rank(kernel), tf.constant(1));
    Operand<TFloat32> weightTerm =
        tf.math.div(
            tf.math.mul(
                tf.constant((float) weight), tf.reduceSum(tf.math.mul(kernel, kernel), all)),
            keep);
    return tf.withName("concrete_regulariser").math.add(weightTerm, rateTerm);
  }
}
