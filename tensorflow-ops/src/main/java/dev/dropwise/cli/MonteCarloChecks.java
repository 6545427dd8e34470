package dev.dropwise.cli;

import dev.dropwise.export.ServingModel;
import java.nio.file.Path;

/** The checks of {@code --mc} and {@code --limit} that predict, uncertainty and bench share. */
final class MonteCarloChecks {
  private MonteCarloChecks() {}

  /** Refuses a number of passes {@link ServingModel#checkSamples} refuses, and a limit below 1. */
  static void check(Integer samples, int limit) {
    if (samples != null) {
      checkSamples(samples);
    }
    if (limit < 1) {
      throw new IllegalArgumentException("--limit " + limit + " is not allowed: must be >= 1");
    }
  }

  /** Refuses a number of passes {@link ServingModel#checkSamples} refuses, naming --mc. */
  static void checkSamples(int samples) {
    try {
      ServingModel.checkSamples(samples);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--mc " + samples + ": " + e.getMessage());
    }
  }

  /** Refuses --mc for a model without the mc_dropout signature, saying which methods allow it. */
  static void checkModel(Integer samples, ServingModel serving, Path dir) {
    if (samples != null && !serving.hasMonteCarlo()) {
      throw new IllegalArgumentException(
          "--mc: " + dir + " has no mc_dropout signature; " + ServingModel.MONTE_CARLO_NEEDS);
    }
  }
}
