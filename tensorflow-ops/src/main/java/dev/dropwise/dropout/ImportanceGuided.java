package dev.dropwise.dropout;

import dev.dropwise.importance.ImportanceSpec;

/**
 * A dropout method steered by one importance measure of the units it drops: Y-Drop (conductance by
 * default), LRP-guided dropout (LRP-ε) and PFID (the gradient). Each takes another registered
 * measure as {@code importance=}; studies read the default here to swap it for another.
 */
public interface ImportanceGuided extends DropoutSpec {

  /** The measure the units are ranked or rated by. */
  ImportanceSpec importance();
}
