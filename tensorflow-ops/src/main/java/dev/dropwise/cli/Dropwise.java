package dev.dropwise.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code dropwise}: train, evaluate, compare and benchmark dropout methods from the shell. */
@Command(
    name = "dropwise",
    mixinStandardHelpOptions = true,
    version = "dropwise 0.1.0",
    description = "Dropout that knows which units matter, on TensorFlow Java.",
    subcommands = {TrainCommand.class, EvalCommand.class, ExplainCommand.class, CompareCommand.class, BenchCommand.class,
        ReportCommand.class, PredictCommand.class,
        CommandLine.HelpCommand.class})
public final class Dropwise {
  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns the exit code: 0 done, 2 bad arguments, 1 failure. */
  public static int run(String... args) {
    return run(new PrintWriter(System.err, true), args);
  }

  /** {@link #run(String...)} with error messages going to {@code err}. */
  public static int run(PrintWriter err, String... args) {
    CommandLine cli = new CommandLine(new Dropwise()).setErr(err);
    cli.setParameterExceptionHandler((e, ignored) -> {
      CommandLine command = e.getCommandLine();
      command.getErr().println(e.getMessage());
      command.getErr().println("Try '" + command.getCommandSpec().qualifiedName() + " --help' for the options.");
      return 2;
    });
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      if (e instanceof IllegalArgumentException) {
        commandLine.getErr().println("dropwise: " + e.getMessage());
        return 2;
      }
      commandLine.getErr().println("dropwise: " + e);
      for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
        commandLine.getErr().println("  caused by: " + c);
      }
      return 1;
    });
    return cli.execute(args);
  }
}
