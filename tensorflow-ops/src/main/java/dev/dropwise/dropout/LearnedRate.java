package dev.dropwise.dropout;

/**
 * A dropout method whose rate is learned with the network (Concrete dropout): it records the rate
 * it learned ({@link Learning#rate}), and an export's Monte Carlo passes sample {@link
 * #atLearnedRate} in its place.
 */
public interface LearnedRate extends DropoutSpec {
  /** The method sampled at inference in this one's place, at the rate {@code rate} it learned. */
  DropoutSpec atLearnedRate(double rate);
}
