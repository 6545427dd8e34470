package dev.dropwise.train;

import java.io.Console;
import java.io.PrintStream;
import java.util.Locale;
import java.util.function.IntConsumer;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Console progress: a live bar (step, loss, examples/s, ETA) on an interactive terminal; one line
 * per epoch when the output is not a terminal or {@code CI} is set, so logs stay short.
 */
public final class ConsoleProgress {
  private ConsoleProgress() {}

  /** The listener that suits this process's console. */
  public static ProgressListener create(PrintStream out, String label) {
    return interactive() ? new Bar(out, label) : new EpochLines(out, label);
  }

  /**
   * Whether output goes to a terminal a person watches: not a file or pipe, and not CI. On Java 22
   * and later {@code System.console()} is never null, so there its {@code isTerminal()} decides.
   */
  @SuppressWarnings("SystemConsoleNull") // null before Java 22; isTerminal() decides after
  static boolean interactive() {
    Console console = System.console();
    if (console == null || System.getenv("CI") != null) {
      return false;
    }
    try {
      return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
    } catch (NoSuchMethodException e) {
      return true; // before Java 22 a console exists only on a terminal
    } catch (ReflectiveOperationException e) {
      return false;
    }
  }

  /**
   * Progress of a task of {@code total} units (a count done is passed to {@code accept}); close it
   * when done.
   */
  public interface Counter extends IntConsumer, AutoCloseable {
    @Override
    void close();
  }

  /**
   * A {@link Counter} that suits this process's console: a live bar on an interactive terminal,
   * else one line at every tenth of {@code total}.
   */
  public static Counter counter(PrintStream out, String label, int total) {
    if (interactive()) {
      ProgressBar bar =
          new ProgressBarBuilder()
              .setTaskName(label)
              .setInitialMax(total)
              .setStyle(ProgressBarStyle.ASCII)
              .setConsumer(new ConsoleProgressBarConsumer(out))
              .setUpdateIntervalMillis(250)
              .build();
      return new Counter() {
        @Override
        public void accept(int done) {
          bar.stepTo(done);
        }

        @Override
        public void close() {
          bar.close();
        }
      };
    }
    return new Counter() {
      private int printedTenths;

      @Override
      public void accept(int done) {
        int tenths = (int) (10L * done / total);
        if (tenths > printedTenths) {
          printedTenths = tenths;
          out.printf(Locale.ROOT, "%s: %d/%d (%d%%)%n", label, done, total, 10 * tenths);
        }
      }

      @Override
      public void close() {}
    };
  }

  static String epochLine(String label, EpochRecord e, int epochs) {
    String validation =
        e.validationLoss() == null
            ? ""
            : String.format(
                Locale.ROOT,
                "  val loss %.4f acc %.4f",
                e.validationLoss(),
                e.validationAccuracy());
    return String.format(
        Locale.ROOT,
        "%sepoch %d/%d  loss %.4f acc %.4f%s  %.1f s",
        label.isEmpty() ? "" : "[" + label + "] ",
        e.epoch(),
        epochs,
        e.trainLoss(),
        e.trainAccuracy(),
        validation,
        e.seconds());
  }

  /** One line per epoch. */
  static final class EpochLines implements ProgressListener {
    private final PrintStream out;
    private final String label;

    EpochLines(PrintStream out, String label) {
      this.out = out;
      this.label = label;
    }

    @Override
    public void onEpochEnd(EpochRecord record, int epochs) {
      out.println(epochLine(label, record, epochs));
    }
  }

  /** A progress bar per epoch, updated in place. */
  static final class Bar implements ProgressListener {
    private final PrintStream out;
    private final String label;
    private ProgressBar bar;

    Bar(PrintStream out, String label) {
      this.out = out;
      this.label = label;
    }

    @Override
    public void onEpochStart(int epoch, int epochs, int steps) {
      bar =
          new ProgressBarBuilder()
              .setTaskName((label.isEmpty() ? "" : label + " ") + "epoch " + epoch + "/" + epochs)
              .setInitialMax(steps)
              .setStyle(ProgressBarStyle.ASCII)
              .setConsumer(new ConsoleProgressBarConsumer(out))
              .setUpdateIntervalMillis(250)
              .build();
    }

    @Override
    public void onStep(int stepInEpoch, double loss, double examplesPerSecond) {
      bar.stepTo(stepInEpoch);
      bar.setExtraMessage(
          String.format(Locale.ROOT, "loss %.4f  %,.0f ex/s", loss, examplesPerSecond));
    }

    @Override
    public void onEpochEnd(EpochRecord record, int epochs) {
      close();
      out.println(epochLine(label, record, epochs));
    }

    @Override
    public void onEnd() {
      close();
    }

    private void close() {
      if (bar != null) {
        bar.close();
        bar = null;
      }
    }
  }
}
