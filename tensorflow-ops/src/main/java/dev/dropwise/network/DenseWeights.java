package dev.dropwise.network;

/**
 * One trained Dense layer as plain arrays: what clean passes over a trained model are built from.
 */
public record DenseWeights(float[][] kernel, float[] bias, Activation activation) {}
