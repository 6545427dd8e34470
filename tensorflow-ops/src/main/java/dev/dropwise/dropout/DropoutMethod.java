package dev.dropwise.dropout;

import dev.dropwise.util.Registry;

/**
 * A dropout method as the text format knows it ({@code name[:key=value,...]}): its name and
 * aliases, its settings with their defaults and one-line docs, and a factory. The built-in methods
 * and users' own are registered alike in {@link DropoutMethods}; a jar that names its
 * implementations in {@code META-INF/services/dev.dropwise.dropout.DropoutMethod} is found on the
 * classpath, and a notebook can call {@link DropoutMethods#register}.
 *
 * <p>Once registered, a method works wherever a built-in one does: {@code --dropout} and {@code
 * compare --methods}, the Kotlin DSL, checkpoints and resume, and export (whose serving graph has
 * no dropout). What it can do is said by the {@link DropoutSpec} it creates ({@link
 * DropoutSpec#monteCarloAtServing}, {@link DropoutSpec#featureMapUnits}).
 */
public interface DropoutMethod extends Registry.Entry<DropoutSpec> {}
