package dev.dropwise.train;

import dev.dropwise.util.AtomicFiles;
import dev.dropwise.util.Errors;
import dev.dropwise.util.Json;
import dev.dropwise.util.OutputDirectories;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A checkpoint after every epoch, one subdirectory per run, written so that a kill at any moment
 * leaves the last complete one readable:
 *
 * <pre>
 *   DIR/run-1a2b3c4d5e6f7a8b/epoch-0003/variables.{index,data-*}   every variable, optimiser slots included
 *   DIR/run-1a2b3c4d5e6f7a8b/epoch-0003/state.json                  epoch, step, history, early-stopping state
 *   DIR/run-1a2b3c4d5e6f7a8b/latest                                 "epoch-0003"
 *   DIR/run-1a2b3c4d5e6f7a8b/.lock                                  held while a run writes here
 * </pre>
 *
 * A run's subdirectory is named after its fingerprint (model, optimiser, batch size, seeds and the
 * data's content), so runs of other configurations that share {@code DIR} never touch each other's
 * checkpoints, and resuming finds exactly the run it continues. A second process writing the same
 * run is refused by the lock. An epoch directory is staged under a temporary name and renamed when
 * complete; {@code latest} is replaced atomically after that; older epochs are removed last.
 */
public final class Checkpoints implements AutoCloseable {
  private static final String LATEST = "latest";
  private static final String STATE = "state.json";
  private static final String VARIABLES = "variables";
  private static final String LOCK = ".lock";
  private static final String RUN_PREFIX = "run-";

  private final Path dir;
  private final FileChannel lockFile;
  private final FileLock lock;

  private Checkpoints(Path dir, FileChannel lockFile, FileLock lock) {
    this.dir = dir;
    this.lockFile = lockFile;
    this.lock = lock;
  }

  /** What a checkpoint records besides the variables. */
  public record State(
      String fingerprint,
      int epochsDone,
      long step,
      List<EpochRecord> history,
      double bestValidationLoss,
      int epochsWithoutImprovement,
      boolean stopped) {}

  /**
   * The checkpoints of the run with {@code fingerprint} under {@code root}, locked for this process
   * until {@link #close}; {@code root} must be new, empty or dropwise's ({@link
   * OutputDirectories}).
   */
  public static Checkpoints open(Path root, String fingerprint) throws IOException {
    OutputDirectories.claim("checkpoint directory", root);
    Path dir = Files.createDirectories(runDirectory(root, fingerprint));
    FileChannel channel =
        FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      channel.close();
      throw new IllegalArgumentException(
          "another run of the same configuration is writing checkpoints to "
              + dir
              + " right now; wait for it to finish, or give this run another checkpoint directory");
    }
    return new Checkpoints(dir, channel, lock);
  }

  /** Where the run with {@code fingerprint} keeps its checkpoints under {@code root}. */
  public static Path runDirectory(Path root, String fingerprint) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(fingerprint.getBytes(StandardCharsets.UTF_8));
      return root.resolve(RUN_PREFIX + HexFormat.of().formatHex(digest, 0, 8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The run subdirectories of {@code root} that hold a complete checkpoint, sorted. */
  public static List<Path> runDirectories(Path root) throws IOException {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> entries = Files.list(root)) {
      return entries
          .filter(p -> p.getFileName().toString().startsWith(RUN_PREFIX))
          .filter(p -> Files.isRegularFile(p.resolve(LATEST)))
          .sorted()
          .toList();
    }
  }

  /**
   * Refuses to resume unless {@code root} holds a complete checkpoint of the run with {@code
   * fingerprint}: a mistyped directory, or other data or settings, must not start a fresh run
   * silently.
   */
  public static void requireResumable(Path root, String fingerprint) throws IOException {
    if (!Files.isDirectory(root)) {
      throw new IllegalArgumentException(
          "cannot resume: the checkpoint directory " + root + " does not exist");
    }
    Path mine = runDirectory(root, fingerprint);
    if (Files.isRegularFile(mine.resolve(LATEST))) {
      return;
    }
    List<Path> others = runDirectories(root);
    throw new IllegalArgumentException(
        "cannot resume: "
            + root
            + " holds no checkpoint of this run ("
            + mine.getFileName()
            + ", from its model, optimiser, batch size, seeds and data)"
            + (others.isEmpty()
                ? ""
                : "; it holds checkpoints of "
                    + others.size()
                    + " other run(s): "
                    + String.join(", ", others.stream().map(p -> describe(p)).toList()))
            + ". Resuming needs the same settings and the same data as the run that wrote the checkpoint");
  }

  private static String describe(Path runDir) {
    try {
      return runDir.getFileName()
          + " ["
          + latestIn(runDir).map(State::fingerprint).orElse("?")
          + "]";
    } catch (IOException e) {
      return runDir.getFileName().toString();
    }
  }

  /** The state of the newest complete checkpoint in the run directory {@code runDir}, if any. */
  public static Optional<State> latestIn(Path runDir) throws IOException {
    Path pointer = runDir.resolve(LATEST);
    if (!Files.isRegularFile(pointer)) {
      return Optional.empty();
    }
    Path state =
        runDir.resolve(Files.readString(pointer, StandardCharsets.UTF_8).trim()).resolve(STATE);
    try {
      return Optional.of(Json.MAPPER.readValue(state.toFile(), State.class));
    } catch (IOException e) {
      throw new IOException(
          "the checkpoint state "
              + state
              + " cannot be read: "
              + Errors.firstLine(e)
              + "; the checkpoint is damaged, so this run cannot resume",
          e);
    }
  }

  /** This run's checkpoint directory. */
  public Path directory() {
    return dir;
  }

  /** The state of this run's newest complete checkpoint, if any. */
  public Optional<State> latest() throws IOException {
    return latestIn(dir);
  }

  /** Restores the variables of the newest checkpoint into {@code model}. */
  public void restoreLatest(ModelSession model) throws IOException {
    Path variables =
        dir.resolve(Files.readString(dir.resolve(LATEST), StandardCharsets.UTF_8).trim())
            .resolve(VARIABLES);
    try {
      model.restore(variables);
    } catch (RuntimeException e) {
      String first = Errors.firstLine(e);
      // TensorFlow names a variable the model has and the files lack: a checkpoint of another
      // model, or of this one as an earlier dropwise built it.
      String why =
          first.contains("not found in checkpoint")
              ? "they lack variables this model has, as a checkpoint written by an earlier version of dropwise may; "
                  + "train this run afresh, or in another checkpoint directory"
              : "they are damaged or truncated";
      throw new IOException(
          "the checkpoint variables "
              + variables
              + ".{index,data-*} cannot be restored ("
              + why
              + "): "
              + first,
          e);
    }
  }

  /** Writes a checkpoint of {@code model} with {@code state}, then drops this run's older ones. */
  public void save(ModelSession model, State state) throws IOException {
    String name = String.format("epoch-%04d", state.epochsDone());
    Path target = dir.resolve(name);
    Path staged = AtomicFiles.stagingDirectory(target);
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

  /** Releases the lock; a run directory that never received a checkpoint is removed again. */
  @Override
  public void close() throws IOException {
    try {
      lock.release();
    } finally {
      lockFile.close();
    }
    if (!Files.exists(dir.resolve(LATEST))) {
      Files.deleteIfExists(dir.resolve(LOCK));
      try (Stream<Path> left = Files.list(dir)) {
        if (left.findAny().isEmpty()) {
          Files.delete(dir);
        }
      }
    }
  }
}
