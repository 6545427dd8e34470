package dev.dropwise.train;

import java.util.List;

/**
 * One epoch of a training history. Validation values are null when there is no validation set.
 *
 * @param step global step count at the end of the epoch
 * @param dropRates per dropout layer, the mean fraction of units its masks dropped this epoch
 * @param scheduledRates per scheduled dropout layer, the rate its schedule set for this epoch
 */
public record EpochRecord(
    int epoch,
    long step,
    double trainLoss,
    double trainAccuracy,
    Double validationLoss,
    Double validationAccuracy,
    double seconds,
    List<Double> dropRates,
    List<Double> scheduledRates) {

  /** Copies the rate lists; null reads as empty. */
  public EpochRecord {
    dropRates = dropRates == null ? List.of() : List.copyOf(dropRates);
    scheduledRates = scheduledRates == null ? List.of() : List.copyOf(scheduledRates);
  }
}
