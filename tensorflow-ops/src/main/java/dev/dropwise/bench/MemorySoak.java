package dev.dropwise.bench;

import dev.dropwise.data.Dataset;
import dev.dropwise.model.ModelSpec;
import dev.dropwise.train.ModelSession;
import dev.dropwise.train.OptimizerSpec;
import dev.dropwise.train.RunSeeds;
import dev.dropwise.util.Seeds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Trains many steps and samples the process's resident memory: native memory held by tensors or
 * results that are never closed shows up as steady growth.
 */
public final class MemorySoak {
  private MemorySoak() {}

  /**
   * One reading after {@code step} steps: resident set size, and how much of it the JVM heap may
   * hold (committed).
   */
  public record Sample(int step, long residentKb, long heapCommittedKb) {}

  /**
   * Runs {@code steps} training steps of {@code spec} at batch {@code batch}, reading the resident
   * memory every {@code every} steps (and before the first).
   */
  public static List<Sample> run(
      Dataset data, ModelSpec spec, int batch, int steps, int every, Consumer<Sample> onSample)
      throws IOException {
    List<Sample> samples = new ArrayList<>();
    try (ModelSession session =
        new ModelSession(spec, new OptimizerSpec.Momentum(0.01f, 0.9f), RunSeeds.from(1))) {
      int perEpoch = data.size() / batch;
      int[] order = null;
      for (int step = 0; step <= steps; step++) {
        if (step % every == 0) {
          Sample sample = new Sample(step, residentKb(), Runtime.getRuntime().totalMemory() / 1024);
          samples.add(sample);
          onSample.accept(sample);
        }
        if (step == steps) {
          break;
        }
        int epoch = step / perEpoch;
        int inEpoch = step % perEpoch;
        if (inEpoch == 0) {
          order = Dataset.permutation(data.size(), Seeds.mix(7, epoch));
        }
        session.step(data, order, inEpoch * batch, (inEpoch + 1) * batch, step, epoch, 0f);
      }
    }
    return samples;
  }

  /**
   * Growth of the resident memory after {@code fromStep}: (max later − at fromStep) / at fromStep.
   */
  public static double growthAfter(List<Sample> samples, int fromStep) {
    Sample base = samples.stream().filter(s -> s.step() >= fromStep).findFirst().orElseThrow();
    long max =
        samples.stream()
            .filter(s -> s.step() >= fromStep)
            .mapToLong(Sample::residentKb)
            .max()
            .orElseThrow();
    return (double) (max - base.residentKb()) / base.residentKb();
  }

  /** VmRSS of this process, from /proc/self/status (Linux). */
  public static long residentKb() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IOException(
        "/proc/self/status has no VmRSS line: resident memory can only be read on Linux");
  }
}
