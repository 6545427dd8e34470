package dev.dropwise.spark;

import dev.dropwise.experiments.RunExecutor;

/** Found by {@link RunExecutor#provider()}: {@code --master URL} trains a sweep on Spark. */
public final class SparkProvider implements RunExecutor.Provider {
  @Override
  public RunExecutor create(String master) {
    return Spark.spark(master);
  }
}
