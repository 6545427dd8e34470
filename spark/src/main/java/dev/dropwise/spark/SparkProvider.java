package dev.dropwise.spark;

import dev.dropwise.experiments.RunExecutor;
import java.util.Map;

/** Found by {@link RunExecutor#provider()}: {@code --master URL} trains a sweep on Spark. */
public final class SparkProvider implements RunExecutor.Provider {
  @Override
  public RunExecutor create(String master) {
    return new SparkRunExecutor(master, Map.of(), System.out);
  }
}
