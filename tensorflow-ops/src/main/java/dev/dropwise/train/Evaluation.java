package dev.dropwise.train;

/** Mean loss and accuracy of a model on a dataset, dropout off. */
public record Evaluation(double loss, double accuracy, int examples) {}
