package dev.dropwise.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dropwise.export.SavedModelExport;
import dev.dropwise.util.AtomicFiles;
import dev.dropwise.util.OutputDirectories;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What the command line writes, what it refuses to touch, and how it fails: nothing of the user's
 * is ever replaced or deleted, every output path is checked before any work, divergence is an
 * error.
 */
class OutputSafetyTest {
  @TempDir Path dir;

  record Outcome(int code, String err) {}

  static Outcome run(String... args) {
    StringWriter err = new StringWriter();
    int code = Dropwise.run(new PrintWriter(err, true), args);
    return new Outcome(code, err.toString());
  }

  /**
   * A short training (one epoch unless {@code extra} says otherwise) on the embedded data with
   * {@code extra} options.
   */
  static Outcome train(String... extra) {
    List<String> args =
        new ArrayList<>(List.of("train", "--data", "embedded", "--limit", "300", "--layers", "16"));
    if (!Arrays.asList(extra).contains("--epochs")) {
      args.addAll(List.of("--epochs", "1"));
    }
    args.addAll(Arrays.asList(extra));
    return run(args.toArray(String[]::new));
  }

  /** Every file under {@code root} with its bytes, to compare a tree before and after. */
  static Map<String, byte[]> snapshot(Path root) throws IOException {
    Map<String, byte[]> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        files.put(root.relativize(p).toString(), Files.readAllBytes(p));
      }
    }
    return files;
  }

  static void assertSameTree(Map<String, byte[]> before, Map<String, byte[]> after) {
    assertEquals(before.keySet(), after.keySet());
    before.forEach((name, bytes) -> assertArrayEquals(bytes, after.get(name), name));
  }

  @Test
  void aRefusedExportLeavesTheUsersFolderUntouchedAndTrainsNothing() throws IOException {
    Path notes = Files.createDirectories(dir.resolve("notes"));
    Files.writeString(notes.resolve("ideas.txt"), "dropout that knows");
    Map<String, byte[]> before = snapshot(notes);
    Path out = dir.resolve("out");
    Outcome o = train("--export", notes.toString(), "--out", out.toString());
    assertEquals(2, o.code(), o.err());
    assertTrue(
        o.err()
            .contains(
                "--export "
                    + notes
                    + " is not a dropwise export (it holds ideas.txt and no "
                    + SavedModelExport.METADATA
                    + ")"),
        o.err());
    assertSameTree(before, snapshot(notes));
    assertFalse(Files.exists(out), "refused before training: no history written");
  }

  @Test
  void exportingOntoTheDataDirectoryLeavesTheDataByteIdentical() throws IOException {
    Path data = Files.createDirectories(dir.resolve("data"));
    Path embedded = Path.of("src/main/resources/dev/dropwise/data/fashion-mnist-small");
    for (String name :
        List.of(
            "train-images-idx3-ubyte.gz",
            "train-labels-idx1-ubyte.gz",
            "t10k-images-idx3-ubyte.gz",
            "t10k-labels-idx1-ubyte.gz")) {
      Files.copy(embedded.resolve(name), data.resolve(name));
    }
    Map<String, byte[]> before = snapshot(data);
    Outcome o =
        run(
            "train",
            "--data",
            data.toString(),
            "--limit",
            "300",
            "--layers",
            "16",
            "--epochs",
            "1",
            "--export",
            data.toString(),
            "--out",
            dir.resolve("out").toString());
    assertEquals(2, o.code(), o.err());
    assertTrue(o.err().contains("--export " + data + " is the data directory"), o.err());
    assertSameTree(before, snapshot(data));
  }

  @Test
  void aFileAtTheExportPathIsRefused() throws IOException {
    Path file = Files.writeString(dir.resolve("model"), "mine");
    Outcome o = train("--export", file.toString(), "--out", dir.resolve("out").toString());
    assertEquals(2, o.code(), o.err());
    assertTrue(o.err().contains("--export " + file + " is a file"), o.err());
    assertEquals("mine", Files.readString(file));
  }

  @Test
  void outputsInsideTheExportAreRefusedBeforeTraining() {
    Path export = dir.resolve("model");
    Outcome o = train("--export", export.toString(), "--out", export.resolve("history").toString());
    assertEquals(2, o.code(), o.err());
    assertTrue(
        o.err()
            .contains(
                "--out " + export.resolve("history") + " is not allowed inside --export " + export),
        o.err());
    assertFalse(Files.exists(export));
  }

  @Test
  void anEarlierExportIsReplacedAndAnInterruptedExportsDebrisRemoved() throws IOException {
    Path export = dir.resolve("model");
    Path out = dir.resolve("out");
    assertEquals(0, train("--export", export.toString(), "--out", out.toString()).code());
    // What an export killed between staging and renaming leaves beside its path: marked as
    // dropwise's.
    Path debris = Files.createDirectories(dir.resolve(".model.4242424242"));
    Files.writeString(debris.resolve("saved_model.pb"), "half");
    Files.writeString(debris.resolve(AtomicFiles.STAGING_MARKER), "");
    // A directory of the user's with a name of that form, unmarked: never dropwise's to delete.
    Path users = Files.createDirectories(dir.resolve(".model.12345"));
    Files.writeString(users.resolve("notes.txt"), "mine");
    Outcome again = train("--export", export.toString(), "--out", out.toString(), "--seed", "2");
    assertEquals(0, again.code(), again.err());
    assertFalse(Files.exists(debris), "the staging directory of the interrupted export is removed");
    assertEquals(
        "mine",
        Files.readString(users.resolve("notes.txt")),
        "the user's directory is left as it was");
    assertTrue(Files.isRegularFile(export.resolve("saved_model.pb")));
    assertFalse(
        Files.exists(export.resolve(AtomicFiles.STAGING_MARKER)),
        "the export itself carries no staging mark");
    try (Stream<Path> siblings = Files.list(dir)) {
      assertEquals(
          List.of(".model.12345", "model", "out"),
          siblings.map(p -> p.getFileName().toString()).sorted().toList());
    }
    // An export with a file of the user's added to it is no longer dropwise's to replace.
    Files.writeString(export.resolve("README.txt"), "notes");
    Outcome refused = train("--export", export.toString(), "--out", out.toString());
    assertEquals(2, refused.code(), refused.err());
    assertTrue(
        refused.err().contains("holds files that are not part of a dropwise export (README.txt)"),
        refused.err());
    assertEquals("notes", Files.readString(export.resolve("README.txt")));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"--out", "--plots", "--checkpoint-dir"})
  void aDirectoryOfTheUsersIsNotWrittenInto(String option) throws IOException {
    Path mine = Files.createDirectories(dir.resolve("mine"));
    Files.writeString(mine.resolve("history.csv"), "my own table");
    List<String> args = new ArrayList<>(List.of(option, mine.toString()));
    if (!option.equals("--out")) {
      args.addAll(List.of("--out", dir.resolve("out").toString()));
    }
    Outcome o = train(args.toArray(String[]::new));
    assertEquals(2, o.code(), o.err());
    assertTrue(
        o.err()
            .contains(
                option + " " + mine + " holds files that dropwise did not write (history.csv)"),
        o.err());
    assertEquals("my own table", Files.readString(mine.resolve("history.csv")));
    assertFalse(Files.exists(dir.resolve("out")), "refused before training");
  }

  @Test
  void aDirectoryDropwiseWroteIsWrittenAgain() throws IOException {
    Path out = dir.resolve("out");
    assertEquals(0, train("--out", out.toString()).code());
    assertTrue(Files.isRegularFile(out.resolve(OutputDirectories.MARKER)));
    Outcome again = train("--out", out.toString(), "--seed", "2");
    assertEquals(0, again.code(), again.err());
  }

  @Test
  void anOutputUnderAFileIsRefusedNamingTheOption() throws IOException {
    Path file = Files.writeString(dir.resolve("file"), "x");
    Outcome o = train("--out", file.resolve("sub").toString());
    assertEquals(2, o.code(), o.err());
    assertTrue(
        o.err()
            .contains(
                "--out " + file.resolve("sub") + " cannot be created: " + file + " is a file"),
        o.err());
  }

  @Test
  void predictChecksItsOutputBeforeLoadingAnything() throws IOException {
    Path model = dir.resolve("model");
    assertEquals(
        0, train("--export", model.toString(), "--out", dir.resolve("out").toString()).code());
    Path folder = Files.createDirectories(dir.resolve("folder"));
    Outcome o =
        run(
            "predict",
            "--data",
            "embedded",
            "--model",
            model.toString(),
            "--out",
            folder.toString());
    assertEquals(2, o.code(), o.err());
    assertTrue(o.err().contains("--out " + folder + " is a directory; give a file name"), o.err());
    Outcome mc =
        run(
            "predict",
            "--data",
            "embedded",
            "--model",
            model.toString(),
            "--mc",
            "10000000",
            "--out",
            dir.resolve("p.csv").toString());
    assertEquals(2, mc.code(), mc.err());
    assertTrue(
        mc.err()
            .contains("--mc 10000000: Monte Carlo samples=10000000 is too many: at most 100000"),
        mc.err());
    assertFalse(Files.exists(dir.resolve("p.csv")));
  }

  @Test
  void divergenceFailsTheRunAndExportsNothing() {
    Path export = dir.resolve("model");
    Path checkpoints = dir.resolve("ckpt");
    Outcome o =
        train(
            "--lr",
            "1e30",
            "--export",
            export.toString(),
            "--checkpoint-dir",
            checkpoints.toString(),
            "--out",
            dir.resolve("out").toString());
    assertEquals(1, o.code(), o.err());
    assertTrue(
        o.err().contains("training diverged: the loss became NaN at epoch 1, step "), o.err());
    assertTrue(o.err().contains("Lower the learning rate (now momentum(lr=1.0E30"), o.err());
    assertFalse(Files.exists(export), "nothing exported");
    assertFalse(
        Files.exists(dir.resolve("out").resolve("history.csv")), "no history of a diverged run");
    assertEquals(
        List.of(OutputDirectories.MARKER),
        OutputDirectories.entries(checkpoints),
        "no checkpoint saved");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "train --limit 5 --val-fraction 0.9 | validation fraction 0.9 of 5 examples holds out 5 for validation and leaves 0 for training",
        "train --dropout standard:p=0.5,p=0.2 | p is given twice in dropout spec 'standard:p=0.5,p=0.2' (p=0.5 and p=0.2)",
        "train --layers 1000000000 | the model 784-1000000000-10 is too large to train here",
        "train --layers 99999999999 | a layer of 99999999999 units is too large",
        "train --resume --checkpoint-dir DIR/none | --resume: --checkpoint-dir DIR/none does not exist, so there is nothing to resume",
        "compare --seeds 1,1,2 | --seeds: seeds [1, 1, 2] are not allowed: each seed may appear once",
        "explain --importance lrp-eps:epsilon=0.1,epsilon=0.2 --model DIR | epsilon is given twice in importance",
      })
  void badRequestsAreRefusedWithTheNumbers(String command, String expected) {
    List<String> args = new ArrayList<>();
    for (String word : command.trim().split("\\s+", -1)) {
      args.add(word.replace("DIR", dir.toString()));
    }
    args.addAll(List.of("--data", "embedded", "--out", dir.resolve("out").toString()));
    Outcome o = run(args.toArray(String[]::new));
    assertEquals(2, o.code(), o.err());
    assertTrue(o.err().contains(expected.replace("DIR", dir.toString())), o.err());
    assertFalse(o.err().contains("Exception"), "no Java class name for a user: " + o.err());
    assertFalse(Files.exists(dir.resolve("out").resolve("history.csv")));
  }

  @Test
  void damagedFilesAreNamedWithoutJavaClassNames() throws IOException {
    Path model = dir.resolve("model");
    assertEquals(
        0, train("--export", model.toString(), "--out", dir.resolve("out").toString()).code());

    Path damaged = dir.resolve("damaged");
    Files.createDirectories(damaged.resolve("variables"));
    try (Stream<Path> files = Files.walk(model)) {
      for (Path p : files.filter(Files::isRegularFile).toList()) {
        Files.copy(p, damaged.resolve(model.relativize(p).toString()));
      }
    }
    Path data = damaged.resolve("variables/variables.data-00000-of-00001");
    byte[] bytes = Files.readAllBytes(data);
    Files.write(data, Arrays.copyOf(bytes, bytes.length / 2));
    Outcome eval = run("eval", "--data", "embedded", "--model", damaged.toString());
    assertEquals(1, eval.code(), eval.err());
    assertTrue(
        eval.err().contains("the SavedModel in " + damaged + " cannot be loaded"), eval.err());
    assertTrue(
        eval.err().contains(damaged.resolve("variables") + "/variables.{index,data-*}"),
        eval.err());

    Files.delete(model.resolve(SavedModelExport.METADATA));
    Outcome explain =
        run(
            "explain",
            "--data",
            "embedded",
            "--model",
            model.toString(),
            "--out",
            dir.resolve("scores.npy").toString());
    assertEquals(2, explain.code(), explain.err());
    assertTrue(
        explain.err().contains("--model " + model + " holds no " + SavedModelExport.METADATA),
        explain.err());

    Path idx = Files.createDirectories(dir.resolve("idx"));
    Path embedded = Path.of("src/main/resources/dev/dropwise/data/fashion-mnist-small");
    for (String name :
        List.of(
            "train-images-idx3-ubyte.gz",
            "train-labels-idx1-ubyte.gz",
            "t10k-images-idx3-ubyte.gz",
            "t10k-labels-idx1-ubyte.gz")) {
      Files.copy(embedded.resolve(name), idx.resolve(name));
    }
    Path images = idx.resolve("train-images-idx3-ubyte.gz");
    byte[] gz = Files.readAllBytes(images);
    Files.write(images, Arrays.copyOf(gz, gz.length / 2));
    Outcome truncated =
        run("train", "--data", idx.toString(), "--out", dir.resolve("out2").toString());
    assertEquals(1, truncated.code(), truncated.err());
    assertTrue(
        truncated.err().contains(images + ": the gzip data is truncated or corrupt"),
        truncated.err());

    for (Outcome o : List.of(eval, explain, truncated)) {
      assertFalse(o.err().contains("Exception"), "no Java class name for a user: " + o.err());
    }
  }

  @Test
  void aDamagedCheckpointIsNamedWhenResuming() throws IOException {
    Path checkpoints = dir.resolve("ckpt");
    Path out = dir.resolve("out");
    assertEquals(
        0, train("--checkpoint-dir", checkpoints.toString(), "--out", out.toString()).code());
    Path run;
    try (Stream<Path> runs = Files.list(checkpoints)) {
      run =
          runs.filter(p -> p.getFileName().toString().startsWith("run-")).findFirst().orElseThrow();
    }
    Path variables = run.resolve("epoch-0001/variables.data-00000-of-00001");
    byte[] bytes = Files.readAllBytes(variables);
    Files.write(variables, Arrays.copyOf(bytes, bytes.length / 2));
    Outcome truncated =
        train(
            "--epochs",
            "2",
            "--resume",
            "--checkpoint-dir",
            checkpoints.toString(),
            "--out",
            out.toString());
    assertEquals(1, truncated.code(), truncated.err());
    assertTrue(
        truncated
            .err()
            .contains(
                "the checkpoint variables "
                    + run.resolve("epoch-0001/variables")
                    + ".{index,data-*} cannot be restored"),
        truncated.err());

    Path state = run.resolve("epoch-0001/state.json");
    Files.writeString(state, "{\"fingerprint\": ");
    Outcome corrupt =
        train(
            "--epochs",
            "2",
            "--resume",
            "--checkpoint-dir",
            checkpoints.toString(),
            "--out",
            out.toString());
    assertEquals(1, corrupt.code(), corrupt.err());
    assertTrue(
        corrupt.err().contains("the checkpoint state " + state + " cannot be read"), corrupt.err());
    Outcome again =
        train(
            "--epochs",
            "2",
            "--resume",
            "--checkpoint-dir",
            checkpoints.toString(),
            "--out",
            out.toString());
    assertEquals(corrupt.err(), again.err(), "the refused resume released the run's lock");
    for (Outcome o : List.of(truncated, corrupt)) {
      assertFalse(o.err().contains("Exception"), "no Java class name for a user: " + o.err());
    }
  }
}
