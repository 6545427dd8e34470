package dev.dropwise.spark;

import java.io.PrintStream;
import java.util.Locale;

/**
 * The driver's view of a sweep: runs finished, running and failed of the total, the time left and
 * the time since it began; a line per change.
 */
final class SweepProgress {
  private final PrintStream out;
  private final int total;
  private final long start = System.nanoTime();
  private int finished;
  private int failed;
  private int running;
  private String last = "";

  SweepProgress(PrintStream out, int total) {
    this.out = out;
    this.total = total;
  }

  void finished(boolean runFailed) {
    finished++;
    failed += runFailed ? 1 : 0;
    running = Math.max(0, Math.min(running - 1, total - finished));
    show();
  }

  void running(int now) {
    running =
        Math.min(now, total - finished); // the status tracker can lag a finished task by a moment
    show();
  }

  private void show() {
    double elapsed = (System.nanoTime() - start) / 1e9;
    String left =
        finished == 0
            ? ""
            : String.format(
                Locale.ROOT, "; about %s left", duration(elapsed / finished * (total - finished)));
    String line =
        String.format(
            Locale.ROOT,
            "runs: %d of %d finished, %d running, %d failed%s (%.1f s)",
            finished,
            total,
            running,
            failed,
            finished == total ? "" : left,
            elapsed);
    String key = finished + "/" + running + "/" + failed;
    if (!key.equals(last)) {
      last = key;
      out.println(line);
    }
  }

  private static String duration(double seconds) {
    return seconds < 90
        ? Math.round(seconds) + " s"
        : seconds < 5400
            ? Math.round(seconds / 60) + " min"
            : String.format(Locale.ROOT, "%.1f h", seconds / 3600);
  }
}
