package dev.dropwise.cli;

import dev.dropwise.dropout.DropoutSpec;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Lets picocli report a bad {@code --dropout} with the option, the value and the reason. */
final class DropoutSpecConverter implements ITypeConverter<DropoutSpec> {
  @Override
  public DropoutSpec convert(String value) {
    try {
      return DropoutSpec.parse(value);
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }
}
