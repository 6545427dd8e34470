package dev.dropwise.spark;

import dev.dropwise.data.ClassificationData;
import dev.dropwise.experiments.RunTask;
import dev.dropwise.train.ProgressListener;
import dev.dropwise.util.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.api.java.function.Function;

/**
 * What an executor does with a task's JSON: loads the data (once per executor JVM for a sweep's
 * data request; a new request replaces it, so a long-lived JVM holds one data set), trains the run,
 * and sends it back as JSON. A run's own failure comes back as a failed run; only the loss of the
 * executor itself makes Spark retry the task elsewhere.
 */
final class TrainOnExecutor implements Function<String, String> {
  private static final long serialVersionUID = 1L;
  private static final Map<String, ClassificationData> LOADED = new ConcurrentHashMap<>();

  private final String dataJson;

  TrainOnExecutor(String dataJson) {
    this.dataJson = dataJson;
  }

  @Override
  public String call(String taskJson) throws IOException {
    if (!LOADED.containsKey(dataJson)) {
      LOADED.clear();
    }
    ClassificationData data =
        LOADED.computeIfAbsent(
            dataJson,
            json -> {
              try {
                return RunTask.dataFromJson(json).load();
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
    return Json.MAPPER.writeValueAsString(
        RunTask.fromJson(taskJson).execute(data, ProgressListener.NONE));
  }
}
