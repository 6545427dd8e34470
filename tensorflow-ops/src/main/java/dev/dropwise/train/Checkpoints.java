package dev.dropwise.train;

import dev.dropwise.util.AtomicFiles;
import dev.dropwise.util.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A checkpoint after every epoch, written so that a kill at any moment leaves the last complete
 * one readable:
 *
 * <pre>
 *   DIR/epoch-0003/variables.{index,data-*}   every variable, optimiser slots included
 *   DIR/epoch-0003/state.json                  epoch, step, history, early-stopping state
 *   DIR/latest                                 "epoch-0003"
 * </pre>
 *
 * An epoch directory is staged under a temporary name and renamed when complete; {@code latest}
 * is replaced atomically after that; older epochs are removed last.
 */
public final class Checkpoints {
  private static final String LATEST = "latest";
  private static final String STATE = "state.json";
  private static final String VARIABLES = "variables";

  private final Path dir;

  public Checkpoints(Path dir) {
    this.dir = dir;
  }

  /** What a checkpoint records besides the variables. */
  public record State(
      String fingerprint, int epochsDone, long step, List<EpochRecord> history, double bestValidationLoss,
      int epochsWithoutImprovement, boolean stopped) {}

  /** The state of the newest complete checkpoint, if any. */
  public Optional<State> latest() throws IOException {
    Path pointer = dir.resolve(LATEST);
    if (!Files.isRegularFile(pointer)) {
      return Optional.empty();
    }
    Path epochDir = dir.resolve(Files.readString(pointer, StandardCharsets.UTF_8).trim());
    return Optional.of(Json.MAPPER.readValue(epochDir.resolve(STATE).toFile(), State.class));
  }

  /** Restores the variables of the newest checkpoint into {@code model}. */
  public void restoreLatest(ModelSession model) throws IOException {
    String name = Files.readString(dir.resolve(LATEST), StandardCharsets.UTF_8).trim();
    model.restore(dir.resolve(name).resolve(VARIABLES));
  }

  /** Writes a checkpoint of {@code model} with {@code state}, then drops the older ones. */
  public void save(ModelSession model, State state) throws IOException {
    Files.createDirectories(dir);
    String name = String.format("epoch-%04d", state.epochsDone());
    Path target = dir.resolve(name);
    Path staged = AtomicFiles.siblingTempDirectory(target);
    try {
      model.save(staged.resolve(VARIABLES));
      AtomicFiles.write(staged.resolve(STATE), Json.MAPPER.writeValueAsBytes(state));
      AtomicFiles.replaceDirectory(staged, target);
    } finally {
      AtomicFiles.deleteRecursively(staged);
    }
    AtomicFiles.write(dir.resolve(LATEST), name + "\n");
    try (Stream<Path> entries = Files.list(dir)) {
      for (Path p : entries.toList()) {
        String file = p.getFileName().toString();
        if ((file.startsWith("epoch-") && !file.equals(name)) || file.startsWith(".epoch-")) {
          AtomicFiles.deleteRecursively(p);
        }
      }
    }
  }
}
