package dev.dropwise.cli;

import dev.dropwise.util.Errors;
import dev.dropwise.util.ParameterException;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.util.Arrays;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** {@code dropwise}: train, evaluate, compare and benchmark dropout methods from the shell. */
@Command(
    name = "dropwise",
    mixinStandardHelpOptions = true,
    version = "dropwise 0.1.0",
    description = "Dropout that knows which units matter, on TensorFlow Java.",
    subcommands = {
      TrainCommand.class,
      EvalCommand.class,
      ExplainCommand.class,
      FaithfulnessCommand.class,
      CompareCommand.class,
      BenchCommand.class,
      ReportCommand.class,
      PruneCommand.class,
      PredictCommand.class,
      UncertaintyCommand.class,
      MethodsCommand.class,
      DataCommand.class,
      ImportCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Dropwise {
  /** The options that carry the core's parameters, for messages in the command line's words. */
  private static final Map<String, String> OPTIONS =
      Map.ofEntries(
          Map.entry("layers", "--layers"),
          Map.entry("image", "--image"),
          Map.entry("sequence", "--sequence"),
          Map.entry("dropout", "--dropout"),
          Map.entry("featureDropout", "--feature-dropout"),
          Map.entry("budget", "--budget"),
          Map.entry("data", "--data"),
          Map.entry("testData", "--test-data"),
          Map.entry("testFraction", "--test-fraction"),
          Map.entry("ood", "--ood"),
          Map.entry("oodClasses", "--ood-classes"),
          Map.entry("shifts", "--shifts"),
          Map.entry("mcMasks", "--mc-masks"),
          Map.entry("sampling", "--mc-sampling"),
          Map.entry("master", "--master"));

  @Option(
      names = "--debug",
      scope = ScopeType.INHERIT,
      description = "On failure, print the stack trace as well as the message.")
  boolean debug;

  /**
   * The {@code dropwise} launcher's entry point: runs the command line ({@link #run(String...)})
   * and exits with its exit code.
   */
  public static void main(String[] args) {
    if (Arrays.stream(args).noneMatch(a -> a.equals("--master") || a.startsWith("--master="))) {
      StopSignals.install();
    }
    System.exit(run(args));
  }

  /** picocli's type names in a user's words: "'abc' is not a long" says "is not a whole number". */
  private static String inWords(String message) {
    return message
        .replaceAll(
            "is not an int\\b",
            "is not a whole number from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE)
        .replaceAll(
            "is not a long\\b",
            "is not a whole number from " + Long.MIN_VALUE + " to " + Long.MAX_VALUE)
        .replace("is not a double", "is not a number")
        .replace("is not a float", "is not a number");
  }

  /** Runs the command line and returns the exit code: 0 done, 2 bad arguments, 1 failure. */
  public static int run(String... args) {
    // The platform's charset, as System.err itself encodes with on Java 17 (file.encoding).
    return run(new PrintWriter(System.err, true, Charset.defaultCharset()), args);
  }

  /** {@link #run(String...)} with error messages going to {@code err}. */
  public static int run(PrintWriter err, String... args) {
    CommandLine cli = new CommandLine(new Dropwise()).setErr(err);
    cli.setParameterExceptionHandler(
        (e, ignored) -> {
          CommandLine command = e.getCommandLine();
          command.getErr().println(inWords(e.getMessage()));
          command
              .getErr()
              .println(
                  "Try '" + command.getCommandSpec().qualifiedName() + " --help' for the options.");
          return 2;
        });
    // Messages only: a Java class name means nothing to a user of the command line; --debug adds
    // the trace.
    boolean debug = Arrays.asList(args).contains("--debug");
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          commandLine
              .getErr()
              .println(
                  "dropwise: "
                      + (e instanceof ParameterException p
                          ? p.describe(name -> OPTIONS.getOrDefault(name, name))
                          : Errors.describe(e)));
          if (debug) {
            e.printStackTrace(commandLine.getErr());
          }
          return e instanceof IllegalArgumentException ? 2 : 1;
        });
    return cli.execute(args);
  }
}
