package dev.dropwise.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGTERM, SIGINT and SIGHUP end the command at once, as the signal's default action does: exit
 * status 128 + its number (143 for SIGTERM), no Java shutdown. The JVM's own handling would run its
 * shutdown and the C library's exit while TensorFlow's native threads are still computing, which
 * crashed the JVM with a fatal-error banner and an {@code hs_err_pid*.log} in the working
 * directory. Every result dropwise writes is written under a temporary name and renamed when
 * complete, and checkpoints are directories renamed into place, so ending at any point leaves
 * earlier results intact.
 *
 * <p>Not for a sweep on Spark ({@code --master}): there Spark's shutdown stops its context and
 * removes its temporary files, so the JVM's own handling stays.
 */
final class StopSignals {
  private StopSignals() {}

  /**
   * Installs the handlers; for the command line's own process only (never inside a test or a
   * notebook).
   */
  static void install() {
    for (String name : List.of("TERM", "INT", "HUP")) {
      try {
        Signal.handle(new Signal(name), StopSignals::stop);
      } catch (IllegalArgumentException e) {
        // this platform or JVM does not let the signal be handled (-Xrs): its default stands
      }
    }
  }

  private static void stop(Signal signal) {
    // The default action first, so that a second signal ends the process even if this handler is
    // stuck.
    Signal.handle(signal, SignalHandler.SIG_DFL);
    // Straight to the file descriptor: System.err's lock may be held by a thread blocked on a full
    // pipe.
    try {
      FileOutputStream err = new FileOutputStream(FileDescriptor.err);
      err.write(
          ("\ndropwise: stopped by SIG"
                  + signal.getName()
                  + "; results written before it are intact\n")
              .getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      // nowhere to say it
    }
    // The default action, from outside (Java raises no signal it does not handle): the process ends
    // here, with status 128 + the signal's number. Halting is the fallback when kill cannot run.
    try {
      String kill = Files.isExecutable(Path.of("/usr/bin/kill")) ? "/usr/bin/kill" : "/bin/kill";
      new ProcessBuilder(
              kill, "-" + signal.getName(), String.valueOf(ProcessHandle.current().pid()))
          .redirectErrorStream(true)
          .start()
          .waitFor();
      Thread.sleep(5_000);
    } catch (IOException | InterruptedException e) {
      // halt below
    }
    Runtime.getRuntime().halt(128 + signal.getNumber());
  }
}
