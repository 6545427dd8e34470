package dev.dropwise.testing;

import dev.dropwise.data.ClassificationData;
import dev.dropwise.data.FashionMnist;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Shared fixtures: the embedded data set, loaded once, and child JVMs on the test classpath. */
public final class TestSupport {
  private static ClassificationData embedded;

  private TestSupport() {}

  public static synchronized ClassificationData embedded() {
    if (embedded == null) {
      try {
        embedded = FashionMnist.loadEmbedded();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return embedded;
  }

  /** A fresh JVM running {@code mainClass} with the test classpath; output goes to {@code log}. */
  public static Process startJvm(Path log, String mainClass, String... args) throws IOException {
    return startJvmIn(Path.of("").toAbsolutePath(), log, mainClass, args);
  }

  /** {@link #startJvm} with {@code workingDirectory} as the JVM's working directory. */
  public static Process startJvmIn(
      Path workingDirectory, Path log, String mainClass, String... args) throws IOException {
    String classpath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                classpath,
                mainClass));
    command.addAll(List.of(args));
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .directory(workingDirectory.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    pb.environment().put("TF_CPP_MIN_LOG_LEVEL", "2");
    return pb.start();
  }
}
