package dev.dropwise.cli;

import dev.dropwise.experiments.RunExecutor;
import picocli.CommandLine.Option;

/** {@code --master URL}: train a sweep's runs on a cluster instead of one after another here. */
final class ClusterOption {
  @Option(
      names = "--master",
      paramLabel = "URL",
      description =
          "Train the runs on Apache Spark: local[N], local-cluster[W,C,MB] or spark://HOST:PORT; yarn and "
              + "k8s://https://HOST:PORT when submitted with a Spark distribution's spark-submit, which brings their "
              + "modules. Each run is one task; the runs directory stays here. Needs the dropwise-spark module "
              + "(./dropwise with --master adds it).")
  String master;

  /**
   * Where the runs train; a clear refusal when a cluster is asked for and no cluster module is on
   * the classpath.
   */
  RunExecutor executor() {
    if (master == null) {
      return RunExecutor.LOCAL;
    }
    return RunExecutor.provider()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "--master "
                        + master
                        + ": no cluster module on the classpath; run through ./dropwise (which adds dropwise-spark for --master) or put "
                        + "the dropwise-spark jar and its dependencies on the classpath"))
        .create(master);
  }
}
