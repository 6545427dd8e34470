package dev.dropwise.export;

/**
 * What Monte Carlo dropout gives for {@code count} examples from {@code samples} stochastic forward
 * passes (the predictive distribution {@code p_t} of each pass t): per example and class the mean
 * probability and its (population) standard deviation, {@code [count * classes]}; and per example
 * the uncertainty measures of the field, {@code [count]}, in nats:
 *
 * <ul>
 *   <li>{@code entropy}: predictive entropy {@code H[p̄] = −Σ_c p̄_c ln p̄_c} of the mean, the
 *       total uncertainty;
 *   <li>{@code expectedEntropy}: {@code (1/T) Σ_t H[p_t]}, the aleatoric part (what every pass is
 *       unsure of);
 *   <li>{@code mutualInformation}: {@code H[p̄] − (1/T) Σ_t H[p_t]}, the epistemic part (BALD,
 *       Houlsby et al. 2011; Gal et al. 2017): 0 when every pass agrees, never negative (Jensen; a
 *       rounding error below 0 is written as 0);
 *   <li>{@code variationRatio}: {@code 1 − f/T}, f the number of passes whose most probable class
 *       is the modal one (Freeman 1965; Gal 2016, §3.3.1).
 * </ul>
 *
 * {@code 0 · ln 0} is 0.
 */
public record MonteCarlo(
    float[] mean,
    float[] std,
    float[] entropy,
    float[] expectedEntropy,
    float[] mutualInformation,
    float[] variationRatio,
    int classes,
    int samples) {

  /** How one pass's masks are drawn across the examples of a prediction. */
  public enum Masks {
    /** Every example its own masks: for each example, independent passes (the default). */
    INDEPENDENT,
    /**
     * One mask per pass for every example, as if each were predicted alone with the pass's seed:
     * the same T networks for all inputs, the consistent masks BatchBALD (Kirsch et al. 2019)
     * needs.
     */
    SHARED;

    /** "independent" or "shared". */
    public String text() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The mode {@code text} names; refused with {@code parameter} otherwise. */
    public static Masks parse(String text, String parameter) {
      for (Masks m : values()) {
        if (m.text().equals(text)) {
          return m;
        }
      }
      throw new dev.dropwise.util.ParameterException(
          parameter, text, "must be independent or shared");
    }
  }

  /** How a pass samples an importance-guided layer. */
  public enum Sampling {
    /** At each unit's drop rate as training left it (the default). */
    FROZEN,
    /** From the importance of the inputs being predicted, computed in the serving graph. */
    LIVE;

    /** "frozen" or "live". */
    public String text() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The mode {@code text} names; refused with {@code parameter} otherwise. */
    public static Sampling parse(String text, String parameter) {
      for (Sampling s : values()) {
        if (s.text().equals(text)) {
          return s;
        }
      }
      throw new dev.dropwise.util.ParameterException(parameter, text, "must be frozen or live");
    }
  }

  /**
   * How the passes draw their masks: across the examples ({@link Masks}) and, for importance-guided
   * dropout, from what ({@link Sampling}).
   */
  public record Draw(Masks masks, Sampling sampling) {
    /** Each example its own masks, importance-guided layers at their frozen rates. */
    public static final Draw DEFAULT = new Draw(Masks.INDEPENDENT, Sampling.FROZEN);

    /** {@code masks}, importance-guided layers at their frozen rates. */
    public static Draw of(Masks masks) {
      return new Draw(masks, Sampling.FROZEN);
    }
  }

  /** Sums over the passes, one pass at a time, so that no pass is kept. */
  public static final class Accumulator {
    private final int count;
    private final int classes;
    private final double[] sum;
    private final double[] squares;
    private final double[] entropySum;
    private final int[] votes;
    private int samples;

    /** For {@code count} examples of {@code classes} classes. */
    public Accumulator(int count, int classes) {
      this.count = count;
      this.classes = classes;
      sum = new double[count * classes];
      squares = new double[count * classes];
      entropySum = new double[count];
      votes = new int[count * classes];
    }

    /** Adds one pass: {@code probabilities} {@code [count * classes]}, each row a distribution. */
    public void add(float[] probabilities) {
      if (probabilities.length != count * classes) {
        throw new IllegalArgumentException(
            "a pass of "
                + probabilities.length
                + " probabilities; "
                + count
                + " examples of "
                + classes
                + " classes need "
                + count * classes);
      }
      for (int i = 0; i < count; i++) {
        int best = 0;
        for (int c = 0; c < classes; c++) {
          int at = i * classes + c;
          double p = probabilities[at];
          sum[at] += p;
          squares[at] += p * p;
          entropySum[i] -= plogp(p);
          best = p > probabilities[i * classes + best] ? c : best;
        }
        votes[i * classes + best]++;
      }
      samples++;
    }

    /** The statistics of the passes added so far (at least one). */
    public MonteCarlo result() {
      if (samples == 0) {
        throw new IllegalStateException("no Monte Carlo pass was added");
      }
      float[] mean = new float[count * classes];
      float[] std = new float[count * classes];
      float[] entropy = new float[count];
      float[] expected = new float[count];
      float[] mutual = new float[count];
      float[] variation = new float[count];
      for (int i = 0; i < count; i++) {
        double h = 0;
        int modal = 0;
        for (int c = 0; c < classes; c++) {
          int at = i * classes + c;
          double m = sum[at] / samples;
          mean[at] = (float) m;
          std[at] = (float) Math.sqrt(Math.max(0, squares[at] / samples - m * m));
          h -= plogp(m);
          modal = Math.max(modal, votes[at]);
        }
        double e = entropySum[i] / samples;
        entropy[i] = (float) h;
        expected[i] = (float) e;
        mutual[i] = (float) Math.max(0, h - e);
        variation[i] = (float) (1 - (double) modal / samples);
      }
      return new MonteCarlo(mean, std, entropy, expected, mutual, variation, classes, samples);
    }

    private static double plogp(double p) {
      return p > 0 ? p * Math.log(p) : 0;
    }
  }
}
