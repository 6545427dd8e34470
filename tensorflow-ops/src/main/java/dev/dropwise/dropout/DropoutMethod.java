package dev.dropwise.dropout;

import dev.dropwise.util.Registry;

/**
 * A dropout method as the text format knows it ({@code name[:key=value,...]}): its name and
 * aliases, its settings with their defaults and one-line docs, and a factory. The built-in methods
 * and users' own are registered alike in {@link DropoutMethods}; a jar that names its
 * implementations in {@code META-INF/services/dev.dropwise.dropout.DropoutMethod} is found on the
 * classpath, and a notebook can call {@link DropoutMethods#register}.
 *
 * <p>To implement one: {@link #name}, {@link #summary}, {@link #parameters} (each setting with its
 * default, said only there: {@link Registry.Parameter}) and {@link #create}, which reads its
 * settings bound to those parameters ({@code settings.bind(parameters())}, then {@code
 * s.number("p")}: what is not written takes its default); or a {@link Registry.Described} of those
 * parts, which binds them itself. The spec it creates reports the same settings by name ({@link
 * DropoutSpec#settings}), so its text is written from them.
 *
 * <p>Once registered, a method works wherever a built-in one does: {@code --dropout} and {@code
 * compare --methods}, the Kotlin DSL, checkpoints and resume, and export (whose serving graph has
 * no dropout). What it can do is said by the {@link DropoutSpec} it creates ({@link
 * DropoutSpec#monteCarloAtServing}, {@link DropoutSpec#featureMapUnits}).
 */
public interface DropoutMethod extends Registry.Entry<DropoutSpec> {}
