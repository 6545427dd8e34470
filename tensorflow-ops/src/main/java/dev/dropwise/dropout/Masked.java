package dev.dropwise.dropout;

import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * A dropout layer's output with the multiplier it applied (0 for a dropped unit), so that the
 * dropped fraction can be recorded; {@code multiplier} is null where nothing is applied.
 */
public record Masked(Operand<TFloat32> output, Operand<TFloat32> multiplier) {}
