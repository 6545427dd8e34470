package dev.dropwise.experiments;

import dev.dropwise.data.ClassificationData;
import dev.dropwise.train.ProgressListener;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;

/**
 * Where a sweep's runs train: here, one after another ({@link #LOCAL}), or on a cluster (the {@code
 * dropwise-spark} module provides one through {@link Provider}). {@link Comparison} keeps the runs
 * directory and the statistics whichever runs them.
 *
 * <p>To run sweeps somewhere else: implement {@link #execute} (a {@link RunTask} travels as text,
 * {@link RunTask#toJson} and {@link RunTask#fromJson}, and trains itself with {@link
 * RunTask#execute}; hand every result to {@code done} on one thread), and a {@link Provider} that
 * makes it from an address, listed in {@code
 * META-INF/services/dev.dropwise.experiments.RunExecutor$Provider}, so {@code --master} finds it.
 */
public interface RunExecutor {

  /**
   * Runs every task on {@code data} and hands each run to {@code done} as it finishes, one at a
   * time, in any order; a task's own failure comes back as a failed run. {@code progress} makes a
   * listener for a (label, seed), where training progress can be shown.
   */
  void execute(
      ClassificationData data,
      List<RunTask> tasks,
      BiFunction<String, Long, ProgressListener> progress,
      BiConsumer<RunTask, Comparison.Run> done)
      throws IOException;

  /** Here, one run after another. */
  RunExecutor LOCAL =
      (data, tasks, progress, done) -> {
        for (RunTask task : tasks) {
          done.accept(task, task.execute(data, progress.apply(task.label(), task.seed())));
        }
      };

  /**
   * Makes executors for a cluster address ({@code local[2]}, {@code spark://host:7077}, ...); found
   * with ServiceLoader.
   */
  interface Provider {
    /** The executor for {@code master}. */
    RunExecutor create(String master);
  }

  /** The provider on the classpath, if a cluster module is there. */
  static Optional<Provider> provider() {
    return ServiceLoader.load(Provider.class).findFirst();
  }
}
