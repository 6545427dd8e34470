package dev.dropwise.spark;

import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;

/**
 * A Spark standalone cluster on this machine's loopback, from the test's own classpath: a
 * SPARK_HOME whose {@code jars/} holds every jar of it (directories packed into jars), a Master and
 * Workers as separate JVMs. Every process is stopped by its id on {@link #close}, with the
 * executors the Workers started.
 */
final class StandaloneCluster implements AutoCloseable {
  final Path home;
  final int port;
  final int webPort;
  private final List<Process> workers = new ArrayList<>();
  private final Process master;

  StandaloneCluster(Path dir, int workerCount) throws Exception {
    home = dir.resolve("spark-home");
    Path jars = Files.createDirectories(home.resolve("jars"));
    Files.createDirectories(home.resolve("conf"));
    int n = 0;
    for (String entry :
        System.getProperty("java.class.path").split(java.io.File.pathSeparator, -1)) {
      if (entry.isEmpty()) {
        continue; // an empty class path entry means the working directory: not ours to pack
      }
      Path p = Path.of(entry);
      if (Files.isDirectory(p)) {
        pack(p, jars.resolve("classes-" + n++ + ".jar"));
      } else if (entry.endsWith(".jar") && Files.isRegularFile(p)) {
        Files.createSymbolicLink(jars.resolve(n++ + "-" + p.getFileName()), p.toAbsolutePath());
      }
    }
    port = freePort();
    webPort = freePort();
    master =
        start(
            dir.resolve("master.log"),
            "org.apache.spark.deploy.master.Master",
            "--host",
            "127.0.0.1",
            "--port",
            String.valueOf(port),
            "--webui-port",
            String.valueOf(webPort));
    for (int w = 0; w < workerCount; w++) {
      Path work = Files.createDirectories(dir.resolve("worker-" + w));
      workers.add(
          start(
              dir.resolve("worker-" + w + ".log"),
              "org.apache.spark.deploy.worker.Worker",
              "--host",
              "127.0.0.1",
              "--cores",
              "1",
              "--memory",
              "2g",
              "--webui-port",
              String.valueOf(freePort()),
              "--work-dir",
              work.toString(),
              url()));
    }
    awaitWorkers(workerCount);
  }

  String url() {
    return "spark://127.0.0.1:" + port;
  }

  /** Environment for every process of the cluster, drivers included: loopback only. */
  Map<String, String> environment() {
    return Map.of(
        "SPARK_HOME",
        home.toString(),
        "SPARK_SCALA_VERSION",
        "2.13",
        "SPARK_LOCAL_IP",
        "127.0.0.1",
        "JAVA_HOME",
        System.getProperty("java.home"));
  }

  private Process start(Path log, String main, String... args) throws IOException {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-cp",
                home.resolve("jars") + "/*",
                main));
    command.addAll(List.of(args));
    ProcessBuilder pb =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().putAll(environment());
    return pb.start();
  }

  /** Kills Worker {@code index} and the executors it started, as a crashed machine would vanish. */
  void killWorker(int index) {
    Process worker = workers.get(index);
    worker.descendants().forEach(ProcessHandle::destroyForcibly);
    worker.destroyForcibly();
  }

  private void awaitWorkers(int count) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + 120_000_000_000L;
    while (System.nanoTime() < deadline) {
      try {
        String json =
            http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + webPort + "/json/"))
                        .build(),
                    HttpResponse.BodyHandlers.ofString())
                .body();
        if (json.replaceAll("\\s", "").contains("\"aliveworkers\":" + count)) {
          return;
        }
      } catch (IOException e) {
        // the Master's web UI is not up yet
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException(
        "the cluster's " + count + " workers did not register within 120 s");
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static void pack(Path dir, Path jar) throws IOException {
    try (OutputStream out = Files.newOutputStream(jar);
        JarOutputStream zip = new JarOutputStream(out);
        Stream<Path> files = Files.walk(dir)) {
      for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        zip.putNextEntry(new ZipEntry(dir.relativize(f).toString().replace('\\', '/')));
        Files.copy(f, zip);
        zip.closeEntry();
      }
    }
  }

  @Override
  public void close() {
    for (Process w : workers) {
      w.descendants().forEach(ProcessHandle::destroyForcibly);
      w.destroyForcibly();
    }
    master.descendants().forEach(ProcessHandle::destroyForcibly);
    master.destroyForcibly();
    for (Process p : workers) {
      p.onExit().join();
    }
    master.onExit().join();
  }
}
