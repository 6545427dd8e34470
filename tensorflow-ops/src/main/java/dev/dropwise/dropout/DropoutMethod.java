package dev.dropwise.dropout;

import dev.dropwise.util.Settings;
import java.util.List;

/**
 * A dropout method as the text format knows it ({@code name[:key=value,...]}): its name and
 * aliases, its settings with their defaults and one-line docs, and a factory. The built-in methods
 * and users' own are registered alike in {@link DropoutMethods}; a jar that names its
 * implementations in {@code META-INF/services/dev.dropwise.dropout.DropoutMethod} is found on the
 * classpath, and a notebook can call {@link DropoutMethods#register}.
 *
 * <p>Once registered, a method works wherever a built-in one does: {@code --dropout} and {@code
 * compare --methods}, the Kotlin DSL, checkpoints and resume, and export (whose serving graph has no
 * dropout). What it can do is said by the {@link DropoutSpec} it creates ({@link
 * DropoutSpec#monteCarloAtServing}, {@link DropoutSpec#featureMapUnits}).
 */
public interface DropoutMethod {
  /** The name the text format uses, lower case, e.g. {@code targeted}. */
  String name();

  /** Other names for the same method. */
  default List<String> aliases() {
    return List.of();
  }

  /** One line for the method list of {@code dropwise methods}. */
  String summary();

  /** The settings the method takes, with their defaults; any other key is refused. */
  List<Parameter> parameters();

  /** The spec for {@code settings}, whose keys are among {@link #parameters()}; defaults for the rest. */
  DropoutSpec create(Settings settings);

  /** A setting: its key, its default as text, and what it means (with its allowed range). */
  record Parameter(String name, String defaultValue, String doc) {}
}
