package dev.dropwise.spark;

import dev.dropwise.util.ParameterException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Spark master URL, checked before any Spark context starts: its form (the forms of Spark's own
 * {@code SparkMasterRegex}), that the cluster manager it names is on the classpath, and for a
 * standalone cluster that a master answers, within {@link #CONNECT_TIMEOUT_MS} per address. A bad
 * URL is refused with the allowed forms instead of Spark's log of errors and stack traces.
 */
final class MasterUrl {
  /** How long a standalone master's address may take to accept a connection. */
  static final int CONNECT_TIMEOUT_MS = 5_000;

  static final String FORMS =
      "local, local[N], local[*], local[N,F], local-cluster[WORKERS,CORES,MEMORY_MB], "
          + "spark://HOST:PORT[,HOST:PORT...], yarn or k8s://https://HOST:PORT";

  private static final Pattern LOCAL_N = Pattern.compile("local\\[(\\d+|\\*)]");
  private static final Pattern LOCAL_N_FAILURES =
      Pattern.compile("local\\[(\\d+|\\*)\\s*,\\s*(\\d+)]");
  private static final Pattern LOCAL_CLUSTER =
      Pattern.compile("local-cluster\\[\\s*(\\d+)\\s*,\\s*(\\d+)\\s*,\\s*(\\d+)\\s*]");
  private static final Pattern HOST_PORT =
      Pattern.compile("(\\[[0-9a-fA-F:.]+]|[A-Za-z0-9.-]+):(\\d{1,5})");

  /** The cluster managers that come in modules of their own, by the class Spark looks for. */
  private static final String YARN = "org.apache.spark.deploy.yarn.YarnClusterManager";

  private static final String KUBERNETES =
      "org.apache.spark.scheduler.cluster.k8s.KubernetesClusterManager";

  private MasterUrl() {}

  /** Refuses {@code master} unless Spark could start a context on it here. */
  static void check(String master) {
    if (master == null || master.isBlank()) {
      throw refused(master, "is empty");
    }
    String m = master.trim();
    if (m.equals("local")) {
      return;
    }
    Matcher local = LOCAL_N.matcher(m);
    Matcher localFailures = LOCAL_N_FAILURES.matcher(m);
    if (local.matches() || localFailures.matches()) {
      String threads = local.matches() ? local.group(1) : localFailures.group(1);
      if (!threads.equals("*") && !positive(threads)) {
        throw refused(
            master,
            "asks for "
                + threads
                + " threads; local[N] needs N from 1 up, or local[*] for every core");
      }
      if (localFailures.matches() && !positive(localFailures.group(2))) {
        throw refused(
            master,
            "allows " + localFailures.group(2) + " task failures; local[N,F] needs F from 1 up");
      }
      return;
    }
    Matcher cluster = LOCAL_CLUSTER.matcher(m);
    if (cluster.matches()) {
      for (int g = 1; g <= 3; g++) {
        if (!positive(cluster.group(g))) {
          throw refused(master, "local-cluster[WORKERS,CORES,MEMORY_MB] needs each from 1 up");
        }
      }
      return;
    }
    if (m.startsWith("spark://")) {
      checkStandalone(master, m.substring("spark://".length()));
      return;
    }
    if (m.equals("yarn")) {
      requireModule(master, YARN, "YARN");
      return;
    }
    if (m.startsWith("k8s://")) {
      if (m.length() == "k8s://".length()) {
        throw refused(master, "names no Kubernetes API server: write k8s://https://HOST:PORT");
      }
      requireModule(master, KUBERNETES, "Kubernetes");
      return;
    }
    throw refused(master, "is not a Spark master URL");
  }

  /**
   * {@code spark://HOST:PORT[,HOST:PORT...]}: each address well formed, and one of them accepting
   * connections.
   */
  private static void checkStandalone(String master, String addresses) {
    List<InetSocketAddress> masters = new ArrayList<>();
    for (String address : addresses.split(",", -1)) {
      Matcher hostPort = HOST_PORT.matcher(address.trim());
      if (!hostPort.matches()) {
        throw refused(master, "'" + address.trim() + "' is not HOST:PORT");
      }
      int port = Integer.parseInt(hostPort.group(2));
      if (port < 1 || port > 65_535) {
        throw refused(master, "port " + port + " is not in 1 to 65535");
      }
      String host = hostPort.group(1).replaceAll("^\\[|]$", "");
      masters.add(InetSocketAddress.createUnresolved(host, port));
    }
    List<String> problems = new ArrayList<>();
    for (InetSocketAddress address : masters) {
      InetSocketAddress resolved =
          new InetSocketAddress(address.getHostString(), address.getPort());
      if (resolved.isUnresolved()) {
        problems.add(address.getHostString() + ": no such host");
        continue;
      }
      try (Socket socket = new Socket()) {
        socket.connect(resolved, CONNECT_TIMEOUT_MS);
        return; // a master listens here
      } catch (IOException e) {
        problems.add(
            address.getHostString()
                + ":"
                + address.getPort()
                + ": "
                + (e.getMessage() == null
                    ? "no answer"
                    : e.getMessage().toLowerCase(java.util.Locale.ROOT)));
      }
    }
    throw new ParameterException(
        "master",
        master,
        "no Spark master answers ("
            + String.join("; ", problems)
            + "; each address tried for up to "
            + CONNECT_TIMEOUT_MS / 1000
            + " s): is the cluster up, and is this its "
            + "master's host and port (spark/local-cluster start prints it)?");
  }

  /**
   * YARN and Kubernetes come in Spark modules of their own, which a Spark distribution's
   * spark-submit puts on the classpath and the ./dropwise launcher (Spark's core only) does not.
   */
  private static void requireModule(String master, String clusterManager, String name) {
    try {
      Class.forName(clusterManager, false, MasterUrl.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new ParameterException(
          "master",
          master,
          "Spark's "
              + name
              + " support is not on this classpath: the "
              + "./dropwise launcher carries Spark's core (local and standalone clusters); submit the dropwise-spark jar "
              + "with your cluster's spark-submit, which brings it (docs/guide/cluster.md)");
    }
  }

  private static boolean positive(String digits) {
    return digits.length() <= 9 && Integer.parseInt(digits) >= 1;
  }

  private static ParameterException refused(String master, String problem) {
    return new ParameterException(
        "master", master == null ? "" : "'" + master + "'", problem + "; allowed: " + FORMS);
  }
}
