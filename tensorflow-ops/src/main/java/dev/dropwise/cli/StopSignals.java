package dev.dropwise.cli;

import java.io.IOException;
import java.util.List;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGTERM, SIGINT and SIGHUP end the command at once, as the signal's default action does: exit
 * status 128 + its number (143 for SIGTERM), no Java shutdown. The JVM's own handling would run its
 * shutdown and the C library's exit while TensorFlow's native threads are still computing, which
 * crashed the JVM with a fatal-error banner and an {@code hs_err_pid*.log} in the working directory.
 * Every result dropwise writes is written under a temporary name and renamed when complete, and
 * checkpoints are directories renamed into place, so ending at any point leaves earlier results intact.
 */
final class StopSignals {
  private StopSignals() {}

  /** Installs the handlers; for the command line's own process only (never inside a test or a notebook). */
  static void install() {
    for (String name : List.of("TERM", "INT", "HUP")) {
      try {
        Signal signal = new Signal(name);
        Signal.handle(signal, s -> {
          System.out.flush();
          System.err.println();
          System.err.println("dropwise: stopped by SIG" + s.getName() + "; results written before it are intact");
          System.err.flush();
          // The default action, from outside (Java raises no signal it does not handle): the process ends
          // here, with status 128 + the signal's number; halting is the fallback if kill cannot run.
          Signal.handle(s, SignalHandler.SIG_DFL);
          try {
            new ProcessBuilder("kill", "-" + s.getName(), String.valueOf(ProcessHandle.current().pid()))
                .redirectErrorStream(true).start().waitFor();
            Thread.sleep(5_000);
          } catch (IOException | InterruptedException e) {
            // kill is missing or the wait was cut short: halt below
          }
          Runtime.getRuntime().halt(128 + s.getNumber());
        });
      } catch (IllegalArgumentException e) {
        // this platform or JVM does not let the signal be handled (-Xrs): its default stands
      }
    }
  }
}
