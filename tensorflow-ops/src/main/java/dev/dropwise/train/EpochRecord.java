package dev.dropwise.train;

/**
 * One epoch of a training history. Validation values are null when there is no validation set.
 *
 * @param step global step count at the end of the epoch
 */
public record EpochRecord(
    int epoch, long step, double trainLoss, double trainAccuracy, Double validationLoss,
    Double validationAccuracy, double seconds) {}
