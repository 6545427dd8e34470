package dev.dropwise.spark;

import dev.dropwise.data.ClassificationData;
import dev.dropwise.experiments.Comparison;
import dev.dropwise.experiments.RunExecutor;
import dev.dropwise.experiments.RunTask;
import dev.dropwise.train.ProgressListener;
import dev.dropwise.util.Errors;
import dev.dropwise.util.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkStageInfo;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Trains a sweep's runs as Spark tasks, one job of one task per run, so that runs start as cores
 * free up and each comes back (and is saved by the driver) as soon as it finishes. Executors load
 * the data themselves from its {@link dev.dropwise.data.DataSpec} (a path every node can see, or
 * the embedded set): the driver never ships a data set through Spark. Each task trains with as many
 * TensorFlow threads as {@code spark.task.cpus}. A task that Spark gives up on after its retries
 * comes back as a failed run with Spark's reason; the sweep goes on.
 */
public final class SparkRunExecutor implements RunExecutor {
  private final String master;
  private final Map<String, String> settings;
  private final PrintStream out;

  /**
   * {@code master}: where the runs train, refused unless Spark could start there ({@link
   * MasterUrl}); {@code settings}: Spark configuration (spark.* keys) on top of what spark-submit
   * or the defaults give.
   */
  public SparkRunExecutor(String master, Map<String, String> settings, PrintStream out) {
    MasterUrl.check(master); // before anything starts: Spark's own refusal is a log of stack traces
    this.master = master.trim();
    this.settings = Map.copyOf(settings);
    this.out = out;
  }

  @Override
  public void execute(
      ClassificationData data,
      List<RunTask> tasks,
      BiFunction<String, Long, ProgressListener> progress,
      BiConsumer<RunTask, Comparison.Run> done)
      throws IOException {
    if (tasks.isEmpty()) {
      return;
    }
    if (data.origin() == null) {
      throw new IllegalArgumentException(
          "a cluster's executors load the data themselves, and this data was made in "
              + "memory; load it from a source (DataSpec, or the DSL's data(...)) every node can read");
    }
    SparkConf conf =
        new SparkConf().setMaster(master).setAppName("dropwise sweep (" + tasks.size() + " runs)");
    conf.setIfMissing(
        "spark.log.level", "WARN"); // a sweep's own progress lines, not Spark's INFO log
    settings.forEach(conf::set);
    try (JavaSparkContext spark = new JavaSparkContext(conf)) {
      int threads = spark.getConf().getInt("spark.task.cpus", 1);
      String dataJson = RunTask.dataJson(data.origin());
      Map<JavaFutureAction<List<String>>, RunTask> pending = new LinkedHashMap<>();
      for (RunTask task : tasks) {
        RunTask here =
            new RunTask(
                task.label(),
                task.spec(),
                task.seed(),
                task.config().withThreads(threads),
                task.validationFraction(),
                task.trainLimit());
        spark.setJobDescription(task.label() + " seed " + task.seed());
        pending.put(
            spark
                .parallelize(List.of(here.toJson()), 1)
                .map(new TrainOnExecutor(dataJson))
                .collectAsync(),
            task);
      }
      SweepProgress shown = new SweepProgress(out, tasks.size());
      while (!pending.isEmpty()) {
        List<JavaFutureAction<List<String>>> finished = new ArrayList<>();
        for (var entry : pending.entrySet()) {
          if (entry.getKey().isDone()) {
            finished.add(entry.getKey());
            Comparison.Run run = result(entry.getKey(), entry.getValue());
            shown.finished(run.failed());
            done.accept(entry.getValue(), run);
          }
        }
        finished.forEach(pending::remove);
        shown.running(running(spark));
        if (!pending.isEmpty() && finished.isEmpty()) {
          try {
            Thread.sleep(200);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pending.keySet().forEach(f -> f.cancel(true));
            throw new IOException(
                "interrupted with " + pending.size() + " runs still on the cluster");
          }
        }
      }
    }
  }

  /**
   * The run a finished job returned, or a failed run with Spark's reason when it gave up on the
   * task.
   */
  private static Comparison.Run result(JavaFutureAction<List<String>> job, RunTask task) {
    try {
      return Json.MAPPER.readValue(job.get().get(0), Comparison.Run.class);
    } catch (ExecutionException e) {
      return new Comparison.Run(
          task.label(),
          task.seed(),
          Double.NaN,
          Double.NaN,
          0,
          0,
          List.of(),
          "Spark gave up on this run: "
              + Errors.firstLine(e.getCause() == null ? e : e.getCause()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while collecting a run", e);
    } catch (IOException e) {
      throw new IllegalStateException(
          "an executor sent back a run that cannot be read: " + Errors.firstLine(e), e);
    }
  }

  /** Tasks running now, over every active stage. */
  private static int running(JavaSparkContext spark) {
    int n = 0;
    for (int stage : spark.statusTracker().getActiveStageIds()) {
      SparkStageInfo info = spark.statusTracker().getStageInfo(stage);
      n += info == null ? 0 : info.numActiveTasks();
    }
    return n;
  }
}
