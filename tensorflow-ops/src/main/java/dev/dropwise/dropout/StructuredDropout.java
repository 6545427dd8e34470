package dev.dropwise.dropout;

import dev.dropwise.network.FeatureShape;

/**
 * Structured dropout (seed 001, Eq. 3–8): a mask {@code M = Pattern(L_structure, r) = I(rand < r) ⊙
 * S(L_structure)} over a feature map {@code [N, H, W, C]}, whose pattern function {@code S} picks
 * coherent sets of features — whole channels ({@link SpatialDropout}), contiguous blocks ({@link
 * DropBlock}) or the less prominent regions ({@link SpatiallyAwareDropout}). These methods take the
 * map itself ({@link UnitView#MAP}) and refuse flat layers.
 */
public sealed interface StructuredDropout extends DropoutSpec
    permits SpatialDropout, DropBlock, SpatiallyAwareDropout {

  /** Masks from the seed alone: Monte Carlo dropout can run it in an exported model. */
  @Override
  default boolean monteCarloAtServing() {
    return true;
  }

  @Override
  default UnitView featureMapUnits() {
    return UnitView.MAP;
  }

  @Override
  default void checkInput(FeatureShape shape) {
    if (!shape.map()) {
      throw new IllegalArgumentException(
          text()
              + " acts on feature maps (after a Conv2D or MaxPool layer), not on "
              + shape.channels()
              + " flat units");
    }
  }
}
