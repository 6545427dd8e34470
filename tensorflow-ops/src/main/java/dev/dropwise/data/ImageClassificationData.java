package dev.dropwise.data;

/**
 * A train/test pair with a line saying where it came from, so that every run can tell the user
 * which data it used.
 */
public record ImageClassificationData(Dataset train, Dataset test, String description) {}
