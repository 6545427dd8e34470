package dev.dropwise.spark;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dropwise.util.ParameterException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Master URLs are checked before Spark starts: Spark's forms are taken, anything else refused in
 * words.
 */
class MasterUrlTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        "local",
        "local[1]",
        "local[2]",
        "local[*]",
        "local[2,3]",
        "local[*, 4]",
        "local-cluster[2,1,1024]"
      })
  void sparksLocalFormsAreTaken(String master) {
    assertDoesNotThrow(() -> MasterUrl.check(master));
  }

  @ParameterizedTest(name = "[{0}] {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "local[0]              | asks for 0 threads",
        "local[abc]            | is not a Spark master URL",
        "''                    | is empty",
        "foo://bar             | is not a Spark master URL",
        "local-cluster[0,1,64] | needs each from 1 up",
        "spark://host          | 'host' is not HOST:PORT",
        "spark://127.0.0.1:0   | port 0 is not in 1 to 65535",
        "k8s://                | names no Kubernetes API server",
      })
  void otherTextIsRefusedWithTheAllowedForms(String master, String problem) {
    ParameterException e = assertThrows(ParameterException.class, () -> MasterUrl.check(master));
    assertEquals("master", e.parameter());
    assertTrue(e.getMessage().contains(problem), e.getMessage());
    assertTrue(e.getMessage().contains("allowed: local, local[N]"), e.getMessage());
  }

  /**
   * The launcher carries Spark's core only: YARN and Kubernetes are refused with where to find
   * them.
   */
  @ParameterizedTest
  @ValueSource(strings = {"yarn", "k8s://https://127.0.0.1:6443"})
  void clusterManagersOfTheirOwnModulesAreRefusedWithoutThem(String master) {
    ParameterException e = assertThrows(ParameterException.class, () -> MasterUrl.check(master));
    assertTrue(
        e.getMessage().contains("support is not on this classpath")
            && e.getMessage().contains("spark-submit"),
        e.getMessage());
  }

  /**
   * A standalone master that nobody runs is refused at once (connection refused), not after a
   * minute of retries.
   */
  @Test
  void anUnreachableStandaloneMasterIsRefusedInBoundedTime() throws IOException {
    int port;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    }
    long start = System.nanoTime();
    ParameterException e =
        assertThrows(ParameterException.class, () -> MasterUrl.check("spark://127.0.0.1:" + port));
    double seconds = (System.nanoTime() - start) / 1e9;
    assertTrue(
        e.getMessage().contains("no Spark master answers")
            && e.getMessage().contains("127.0.0.1:" + port),
        e.getMessage());
    assertTrue(
        seconds < MasterUrl.CONNECT_TIMEOUT_MS / 1000.0 + 1,
        "refused within the connect timeout: " + seconds);
    // One that listens is taken.
    try (ServerSocket master = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      assertDoesNotThrow(() -> MasterUrl.check("spark://127.0.0.1:" + master.getLocalPort()));
    }
  }
}
