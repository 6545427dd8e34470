package dev.dropwise.importance;

import dev.dropwise.util.Registry;

/**
 * An importance measure as the text format knows it ({@code name[:key=value,...]}): registered in
 * {@link ImportanceMeasures} like a {@link dev.dropwise.dropout.DropoutMethod}, built-in or a
 * user's own (listed in {@code META-INF/services/dev.dropwise.importance.ImportanceMeasure}, or
 * registered from a notebook). Once registered, it works wherever a built-in measure does: {@code
 * explain --importance}, PFID's {@code importance=}, the analyses.
 */
public interface ImportanceMeasure extends Registry.Entry<ImportanceSpec> {}
