package dev.dropwise.util;

import java.util.function.UnaryOperator;

/**
 * A value a parameter may not take. The message names the parameter as the Java and Kotlin APIs
 * call it ({@code layers}, {@code featureDropout}); a front end with names of its own (the command
 * line's {@code --layers}) says it in its words with {@link #describe}.
 */
public class ParameterException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** The parameter's name in the API. */
  private final String parameter;

  /** The value refused, as text; null when it is missing. */
  private final String value;

  /** What is wrong with the value. */
  private final String problem;

  /** {@code value} may be null when the problem is that it is missing. */
  public ParameterException(String parameter, Object value, String problem) {
    super(format(parameter, value == null ? null : String.valueOf(value), problem));
    this.parameter = parameter;
    this.value = value == null ? null : String.valueOf(value);
    this.problem = problem;
  }

  /** The parameter's name in the API. */
  public String parameter() {
    return parameter;
  }

  /** What is wrong with the value. */
  public String problem() {
    return problem;
  }

  /** The message with the parameter named by {@code name} (given the API's name). */
  public String describe(UnaryOperator<String> name) {
    return format(name.apply(parameter), value, problem);
  }

  private static String format(String parameter, String value, String problem) {
    return parameter + (value == null ? "" : " " + value) + ": " + problem;
  }
}
