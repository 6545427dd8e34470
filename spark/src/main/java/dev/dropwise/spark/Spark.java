package dev.dropwise.spark;

import dev.dropwise.experiments.RunExecutor;
import java.util.Map;

/**
 * Short ways to a Spark executor, for the DSL ({@code compare(data) { cluster(spark("local[2]"))
 * }}) and programs.
 */
public final class Spark {
  private Spark() {}

  /**
   * Runs on {@code master} ({@code local[N]}, {@code spark://host:port}, {@code yarn}, {@code
   * k8s://...}), progress on stdout.
   */
  public static RunExecutor spark(String master) {
    return spark(master, Map.of());
  }

  /** As {@link #spark(String)}, with Spark settings ({@code spark.executor.memory}, ...). */
  public static RunExecutor spark(String master, Map<String, String> settings) {
    return new SparkRunExecutor(master, settings, System.out);
  }
}
