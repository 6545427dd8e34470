package dev.dropwise.importance;

import dev.dropwise.util.Registry;

/**
 * An importance measure as the text format knows it ({@code name[:key=value,...]}): registered in
 * {@link ImportanceMeasures} like a {@link dev.dropwise.dropout.DropoutMethod}, built-in or a
 * user's own (listed in {@code META-INF/services/dev.dropwise.importance.ImportanceMeasure}, or
 * registered from a notebook). Once registered, it works wherever a built-in measure does: {@code
 * explain --importance}, PFID's {@code importance=}, the analyses.
 *
 * <p>To implement one: its name, summary and parameters (each default said there once), and {@link
 * #create}, which makes the {@link ImportanceSpec} (per-unit scores as TF ops over the clean
 * network) from the settings bound to those parameters; or a {@link Registry.Described} of those
 * parts.
 */
public interface ImportanceMeasure extends Registry.Entry<ImportanceSpec> {}
