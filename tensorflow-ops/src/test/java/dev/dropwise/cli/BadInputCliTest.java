package dev.dropwise.cli;

import static dev.dropwise.cli.YourOwnDataCliTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dropwise.cli.YourOwnDataCliTest.Outcome;
import dev.dropwise.util.AtomicFiles;
import dev.dropwise.util.Json;
import dev.dropwise.util.OutputDirectories;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The command line on bad inputs, issue 25's battery of faults among them: each is refused before
 * any work with a message that names the option or file and what is wrong, shows no Java class
 * name, exception or stack frame, exits 2 for a bad argument and 1 for anything else, and leaves
 * every file as it was. Then the inputs that used to be taken wrongly, taken rightly.
 */
class BadInputCliTest {
  static final Path WINE = Path.of(YourOwnDataCliTest.WINE.substring("csv:".length()));
  static final Path KOTLINDL_MLP = Path.of("src/test/resources/dev/dropwise/interop/kotlindl/mlp");

  /**
   * What a message shows that is for a programmer, not a user: a qualified class name, an
   * exception, a frame.
   */
  static final Pattern JAVA =
      Pattern.compile(
          "\\b(java|javax|jdk|sun|org|com|dev)\\.[a-z]+(\\.\\w+)*\\.[A-Z]\\w*"
              + "|Exception|\\bat [\\w.$]+\\([\\w.]+:\\d+\\)");

  @TempDir static Path shared;

  /** A wine model (13 features, classes 0, 1, 2), exported with its metadata. */
  static Path model;

  @BeforeAll
  static void exportAWineModel() {
    model = shared.resolve("wine-model");
    Outcome trained =
        run(
            "train",
            "--data",
            "csv:" + WINE,
            "--layers",
            "16",
            "--epochs",
            "40",
            "--out",
            shared.resolve("out").toString(),
            "--export",
            model.toString());
    assertEquals(0, trained.code(), trained.err());
  }

  /**
   * One bad input: what to lay out in a fresh directory, the command line, and what the refusal
   * must say.
   */
  record Case(
      String name, Setup setup, Function<Path, List<String>> args, int code, List<String> says) {
    @Override
    public String toString() {
      return name;
    }
  }

  interface Setup {
    void in(Path dir) throws IOException;
  }

  /**
   * {@code predict} of the wine model on its own data into {@code dir/p.csv}, with {@code more}.
   */
  static List<String> predictWine(Path dir, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "predict",
                "--model",
                model.toString(),
                "--data",
                "csv:" + WINE,
                "--out",
                dir.resolve("p.csv").toString()));
    args.addAll(List.of(more));
    return args;
  }

  static Case refused(
      String name, Setup setup, Function<Path, List<String>> args, int code, String... says) {
    return new Case(name, setup, args, code, List.of(says));
  }

  static Stream<Case> cases() {
    Setup nothing = dir -> {};
    return Stream.of(
        // Data whose classes the model lacks: refused by name, no longer scored by position.
        refused(
            "eval on a class the model does not know",
            dir -> wineWithLabel(dir.resolve("extra.csv"), "3"),
            dir ->
                List.of(
                    "eval",
                    "--model",
                    model.toString(),
                    "--data",
                    "csv:" + dir.resolve("extra.csv")),
            1,
            "extra.csv",
            "label '3' is not one of the model's classes [0, 1, 2]"),
        refused(
            "predict --mc-sampling of another name",
            nothing,
            dir -> predictWine(dir, "--mc", "5", "--mc-sampling", "sometimes"),
            2,
            "--mc-sampling sometimes: must be frozen or live"),
        refused(
            "predict --mc-sampling without --mc",
            nothing,
            dir -> predictWine(dir, "--mc-sampling", "live"),
            2,
            "--mc-sampling live says how Monte Carlo passes sample importance-guided dropout: give"
                + " --mc N"),
        refused(
            "predict on a class the model does not know",
            dir -> wineWithLabel(dir.resolve("extra.csv"), "3"),
            dir ->
                List.of(
                    "predict",
                    "--model",
                    model.toString(),
                    "--data",
                    "csv:" + dir.resolve("extra.csv"),
                    "--out",
                    dir.resolve("p.csv").toString()),
            1,
            "extra.csv",
            "label '3' is not one of the model's classes"),
        // Metadata edited or damaged: refused with the file and the field.
        refused(
            "metadata without its preprocessing",
            dir -> metadata(dir, m -> m.remove("preprocessing")),
            dir -> evalOn(dir),
            1,
            "dropwise-model.json",
            "field 'preprocessing' is missing",
            "would be scaled twice"),
        refused(
            "metadata whose Monte Carlo stand-in names a dense layer",
            dir ->
                metadata(
                    dir,
                    m ->
                        m.putArray("monteCarloLayers")
                            .addObject()
                            .put("layer", 0)
                            .put("method", "standard:p=0.1")),
            dir -> evalOn(dir),
            1,
            "dropwise-model.json",
            "field 'monteCarloLayers' names layer 0, which is not a dropout layer"),
        refused(
            "metadata with frozen rates for the wrong number of units",
            dir ->
                metadata(
                    dir,
                    m -> {
                      // The wine model trained without dropout: give it a dropout layer first.
                      var layers =
                          (com.fasterxml.jackson.databind.node.ArrayNode) m.get("trainingLayers");
                      layers.insert(1, "dropout(standard:p=0.5)");
                      ObjectNode entry = m.putArray("monteCarloLayers").addObject();
                      entry.put("layer", 1).put("frozen", "ydrop");
                      entry.putArray("rates").add(0.5);
                      entry.putArray("scales").add(2.0);
                    }),
            dir -> evalOn(dir),
            1,
            "dropwise-model.json",
            "field 'monteCarloLayers' frozen rates of 1 units for a layer of 16"),
        refused(
            "metadata that is a JSON array",
            dir -> {
              copyModel(dir);
              Files.writeString(dir.resolve("model/dropwise-model.json"), "[1, 2, 3]");
            },
            dir -> evalOn(dir),
            1,
            "dropwise-model.json",
            "is not a JSON object"),
        refused(
            "metadata with one class name for three classes",
            dir -> metadata(dir, m -> m.putArray("classNames").add("only")),
            dir -> evalOn(dir),
            1,
            "dropwise-model.json",
            "field 'classNames' holds 1 name for a model of 3 classes"),
        refused(
            "metadata with every field null",
            dir ->
                metadata(
                    dir,
                    m -> {
                      List<String> fields = new ArrayList<>();
                      m.fieldNames().forEachRemaining(fields::add);
                      fields.forEach(m::putNull);
                    }),
            dir -> evalOn(dir),
            1,
            "dropwise-model.json",
            "field 'inputs' is missing"),
        refused(
            "metadata whose network disagrees with the weights",
            dir ->
                metadata(
                    dir, m -> m.put("network", m.get("network").asText().replaceFirst("16", "17"))),
            dir -> evalOn(dir),
            1,
            "dropwise-model.json",
            "field 'network'",
            "dense_0_kernel"),
        refused(
            "metadata whose input shape overflows",
            dir -> metadata(dir, m -> m.put("input", "100000x100000x3")),
            dir -> evalOn(dir),
            1,
            "dropwise-model.json",
            "field 'input'"),
        refused(
            "a model without its variables",
            dir -> {
              copyModel(dir);
              AtomicFiles.deleteRecursively(dir.resolve("model/variables"));
            },
            dir -> evalOn(dir),
            1,
            "variables/variables.index",
            "weights are missing"),
        // Outputs that are not dropwise's, or cannot be written: refused before the work.
        refused(
            "report over a user's notes",
            dir -> Files.writeString(dir.resolve("notes.md"), "my notes\n"),
            dir ->
                List.of(
                    "report",
                    "--budget",
                    "small",
                    "--out",
                    dir.resolve("notes.md").toString(),
                    "--runs",
                    dir.resolve("runs").toString()),
            2,
            "notes.md",
            "is a file that dropwise did not write"),
        refused(
            "predict over a user's table",
            dir -> Files.writeString(dir.resolve("p.csv"), "a,b\n1,2\n"),
            dir ->
                List.of(
                    "predict",
                    "--model",
                    model.toString(),
                    "--data",
                    "csv:" + WINE,
                    "--out",
                    dir.resolve("p.csv").toString()),
            2,
            "--out",
            "p.csv",
            "did not write"),
        refused(
            "train --out in /proc",
            nothing,
            dir ->
                List.of(
                    "train",
                    "--data",
                    "csv:" + WINE,
                    "--layers",
                    "8",
                    "--out",
                    "/proc/dropwise-out"),
            2,
            "--out /proc/dropwise-out cannot be written",
            "takes no new files"),
        refused(
            "predict --out in /proc",
            nothing,
            dir ->
                List.of(
                    "predict",
                    "--model",
                    model.toString(),
                    "--data",
                    "csv:" + WINE,
                    "--out",
                    "/proc/dropwise.csv"),
            2,
            "--out /proc/dropwise.csv cannot be written"),
        refused(
            "report --out in /proc",
            nothing,
            dir ->
                List.of(
                    "report",
                    "--budget",
                    "small",
                    "--out",
                    "/proc/dropwise.md",
                    "--runs",
                    dir.resolve("runs").toString()),
            2,
            "/proc/dropwise.md cannot be written"),
        // Images too large to load, or to count.
        refused(
            "an image size whose folder does not fit in memory",
            BadInputCliTest::images,
            dir ->
                List.of(
                    "data",
                    "--data",
                    "images:" + dir.resolve("images"),
                    "--image",
                    "12000x12000x3"),
            2,
            "--image 12000x12000x3",
            "of memory to load"),
        refused(
            "an image size whose folder does not fit in an array",
            BadInputCliTest::images,
            dir ->
                List.of(
                    "data",
                    "--data",
                    "images:" + dir.resolve("images"),
                    "--image",
                    "20000x20000x3"),
            2,
            "--image 20000x20000x3",
            "more than one Java array holds"),
        refused(
            "an image size that overflows",
            BadInputCliTest::images,
            dir ->
                List.of(
                    "data",
                    "--data",
                    "images:" + dir.resolve("images"),
                    "--image",
                    "100000x100000x3"),
            2,
            "--image 100000x100000x3",
            "values per example"),
        // Tables.
        refused(
            "a label name two columns carry",
            dir ->
                Files.writeString(
                    dir.resolve("t.csv"), "a,label,label\n1,0,1\n2,1,0\n3,0,1\n4,1,0\n"),
            dir -> List.of("data", "--data", "csv:" + dir.resolve("t.csv") + ",label=label"),
            1,
            "t.csv",
            "label=label: 2 columns have that name"),
        refused(
            "a truncated .csv.gz",
            dir -> {
              byte[] whole = gzip(Files.readAllBytes(WINE));
              Files.write(dir.resolve("w.csv.gz"), Arrays.copyOf(whole, whole.length / 2));
            },
            dir -> List.of("data", "--data", "csv:" + dir.resolve("w.csv.gz")),
            1,
            "w.csv.gz",
            "is not a complete gzip file (it ends too early)"),
        refused(
            "a text file named .gz",
            dir -> Files.copy(WINE, dir.resolve("w.csv.gz")),
            dir -> List.of("data", "--data", "csv:" + dir.resolve("w.csv.gz")),
            1,
            "w.csv.gz",
            "not a complete gzip file"),
        refused(
            "a Latin-1 table",
            dir ->
                Files.write(
                    dir.resolve("latin.csv"),
                    "a,b,label\n1,2,x\n3,4,caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1)),
            dir -> List.of("data", "--data", "csv:" + dir.resolve("latin.csv")),
            1,
            "latin.csv",
            "is not UTF-8 text",
            "line 3",
            "0xe9"),
        refused(
            "an unclosed quote",
            dir -> Files.writeString(dir.resolve("q.csv"), "a,b,label\n1,2,x\n3,\"4,y\n5,6,x\n"),
            dir -> List.of("data", "--data", "csv:" + dir.resolve("q.csv")),
            1,
            "q.csv",
            "a quoted field opened on line 3 is never closed"),
        refused(
            "a line of spaces",
            dir -> Files.writeString(dir.resolve("s.csv"), "a,b,label\n1,2,x\n   \n3,4,y\n"),
            dir -> List.of("data", "--data", "csv:" + dir.resolve("s.csv")),
            1,
            "s.csv",
            "line 3 has 1 column"),
        refused(
            "a header and no rows",
            dir -> Files.writeString(dir.resolve("h.csv"), "f0,f1,label\n"),
            dir -> List.of("data", "--data", "csv:" + dir.resolve("h.csv")),
            1,
            "h.csv",
            "a header",
            "no data rows"),
        refused(
            "an empty --data",
            nothing,
            dir -> List.of("data", "--data", ""),
            2,
            "--data ''",
            "is empty"),
        refused(
            "csv: given a directory",
            dir -> Files.createDirectories(dir.resolve("d")),
            dir -> List.of("data", "--data", "csv:" + dir.resolve("d")),
            2,
            "--data",
            "is a directory"),
        refused(
            "idx: given a file",
            dir -> Files.writeString(dir.resolve("f"), "x"),
            dir -> List.of("data", "--data", "idx:" + dir.resolve("f")),
            2,
            "--data",
            "is not a directory"),
        // NumPy arrays.
        refused(
            "an .npy of negative shape",
            dir -> {
              npy(dir.resolve("x.npy"), "<f4", "(-5, 10)", new byte[0]);
              npy(dir.resolve("y.npy"), "<i8", "(5,)", new byte[40]);
            },
            dir ->
                List.of(
                    "data", "--data", "npy:" + dir.resolve("x.npy") + "," + dir.resolve("y.npy")),
            1,
            "x.npy",
            "negative size"),
        refused(
            "an .npy of examples with no values",
            dir -> {
              npy(dir.resolve("x.npy"), "<f4", "(5, 0)", new byte[0]);
              npy(dir.resolve("y.npy"), "<i8", "(5,)", new byte[40]);
            },
            dir ->
                List.of(
                    "data", "--data", "npy:" + dir.resolve("x.npy") + "," + dir.resolve("y.npy")),
            1,
            "x.npy",
            "no values"),
        // Explain on data of another width: refused as eval and predict refuse it.
        refused(
            "explain on data of the wrong width",
            dir ->
                Files.writeString(
                    dir.resolve("narrow.csv"), "1,2,0\n3,4,1\n5,6,0\n7,8,1\n9,10,0\n11,12,1\n"),
            dir ->
                List.of(
                    "explain",
                    "--model",
                    model.toString(),
                    "--data",
                    "csv:" + dir.resolve("narrow.csv"),
                    "--out",
                    dir.resolve("s.npy").toString()),
            2,
            "--model",
            "takes 13 features",
            "has 2"),
        // explain --input: refused before any work, with the option, the value and what it takes.
        refused(
            "explain --input for a class the model lacks",
            nothing,
            dir -> explainInput(dir, "--input", "--target", "7"),
            2,
            "--target 7 is not allowed",
            "a class index from 0 to 2 or one of the model's classes: 0, 1, 2"),
        refused(
            "explain --input with integrated gradients of no steps",
            nothing,
            dir -> explainInput(dir, "--input=integrated-gradients:steps=0"),
            2,
            "--input integrated-gradients:steps=0",
            "steps=0 is not allowed: must be >= 1"),
        refused(
            "explain --input with an input rule on a hidden layer",
            nothing,
            dir -> explainInput(dir, "--input=lrp:dense=flat"),
            2,
            "dense=flat is not allowed: flat applies to the first layer only",
            "dense layers take eps, zplus"),
        refused(
            "explain --input with a baseline of the wrong shape",
            dir -> npy(dir.resolve("b.npy"), "<f4", "(5,)", new byte[20]),
            dir ->
                explainInput(
                    dir,
                    "--input=integrated-gradients",
                    "--baseline",
                    dir.resolve("b.npy").toString()),
            2,
            "--baseline holds 5 values; the model takes one example of 13 features"),
        refused(
            "explain --baseline that is not a .npy file",
            dir -> Files.writeString(dir.resolve("b.csv"), "1,2,3\n"),
            dir ->
                explainInput(
                    dir,
                    "--input=integrated-gradients",
                    "--baseline",
                    dir.resolve("b.csv").toString()),
            2,
            "--baseline",
            "b.csv",
            "not a .npy file"),
        refused(
            "explain --baseline of two examples",
            dir -> npy(dir.resolve("b.npy"), "<f4", "(2, 13)", new byte[2 * 13 * 4]),
            dir ->
                explainInput(
                    dir,
                    "--input=integrated-gradients",
                    "--baseline",
                    dir.resolve("b.npy").toString()),
            2,
            "has the shape [2, 13]; give one example: [features] or [1, features]"),
        refused(
            "explain --baseline with a gradient, which takes none",
            nothing,
            dir ->
                explainInput(
                    dir, "--input=gradient", "--baseline", dir.resolve("absent.npy").toString()),
            2,
            "--baseline is integrated gradients' starting point; --input gradient takes none"),
        refused(
            "faithfulness with an empty attribution",
            nothing,
            dir -> faithfulness(dir, "--attributions", "lrp;;gradient"),
            2,
            "--attributions lrp;;gradient has an empty entry"),
        refused(
            "explain --target without --input",
            nothing,
            dir -> explainInput(dir, "--target", "label"),
            2,
            "--target, --baseline and --plots explain the input; add --input"),
        refused(
            "explain --input with a hidden-unit measure",
            nothing,
            dir -> explainInput(dir, "--input", "--importance", "gradient"),
            2,
            "--importance gradient measures hidden units",
            "--input=gradient"),
        refused(
            "faithfulness with an attribution that does not exist",
            nothing,
            dir -> faithfulness(dir, "--attributions", "lrp;saliency"),
            2,
            "--attributions saliency",
            "allowed: lrp, gradient"),
        refused(
            "faithfulness with a hidden-unit measure that does not exist",
            nothing,
            dir -> faithfulness(dir, "--units", "conductance;nope"),
            2,
            "--units nope",
            "allowed: lrp-eps"),
        refused(
            "faithfulness of a SavedModel that is not a dropwise export",
            dir -> {
              copyModel(dir);
              Files.delete(dir.resolve("model/dropwise-model.json"));
            },
            dir ->
                List.of(
                    "faithfulness",
                    "--model",
                    dir.resolve("model").toString(),
                    "--data",
                    "csv:" + WINE,
                    "--out",
                    dir.resolve("f").toString()),
            2,
            "holds no dropwise-model.json",
            "faithfulness needs the layers"),
        refused(
            "faithfulness with no steps",
            nothing,
            dir -> faithfulness(dir, "--steps", "0"),
            2,
            "--steps 0 is not allowed: must be >= 1"),
        refused(
            "faithfulness with more steps than features",
            nothing,
            dir -> faithfulness(dir, "--steps", "14"),
            2,
            "--steps 14 is not allowed: at most the examples' 13 features"),
        // Links, outputs inside inputs, empty lists, options a model does not take (a second
        // battery).
        refused(
            "--export to a symbolic link",
            dir ->
                Files.createSymbolicLink(
                    dir.resolve("link"), Files.createDirectories(dir.resolve("real"))),
            dir ->
                List.of(
                    "train",
                    "--data",
                    "csv:" + WINE,
                    "--layers",
                    "8",
                    "--out",
                    dir.resolve("out").toString(),
                    "--export",
                    dir.resolve("link").toString()),
            2,
            "--export",
            "is a symbolic link",
            "give the path it points to"),
        refused(
            "--out to a dangling symbolic link",
            dir -> Files.createSymbolicLink(dir.resolve("dangling"), dir.resolve("nowhere")),
            dir ->
                List.of(
                    "train",
                    "--data",
                    "csv:" + WINE,
                    "--layers",
                    "8",
                    "--out",
                    dir.resolve("dangling").toString()),
            2,
            "--out",
            "is a symbolic link"),
        refused(
            "--export inside the images it trains on",
            BadInputCliTest::images,
            dir ->
                List.of(
                    "train",
                    "--data",
                    "images:" + dir.resolve("images"),
                    "--layers",
                    "8",
                    "--out",
                    dir.resolve("out").toString(),
                    "--export",
                    dir.resolve("images/model").toString()),
            2,
            "--export",
            "lies inside the data directory",
            "never writes into its input"),
        refused(
            "a trailing comma in --layers (an empty layer)",
            nothing,
            dir ->
                List.of(
                    "train",
                    "--data",
                    "csv:" + WINE,
                    "--layers",
                    "8,",
                    "--out",
                    dir.resolve("out").toString()),
            2,
            "--layers",
            "'' is not a layer"),
        refused(
            "a trailing comma in a method's settings",
            nothing,
            dir ->
                List.of(
                    "train",
                    "--data",
                    "csv:" + WINE,
                    "--dropout",
                    "standard:p=0.5,",
                    "--out",
                    dir.resolve("out").toString()),
            2,
            "--dropout",
            "'' in dropout spec 'standard:p=0.5,' is not key=value"),
        refused(
            "compare with no method",
            nothing,
            dir ->
                List.of(
                    "compare",
                    "--data",
                    "csv:" + WINE,
                    "--methods",
                    ";;",
                    "--out",
                    dir.resolve("c").toString()),
            2,
            "--methods names no method"),
        refused(
            "compare with no architecture",
            nothing,
            dir ->
                List.of(
                    "compare",
                    "--data",
                    "csv:" + WINE,
                    "--architectures",
                    ";",
                    "--out",
                    dir.resolve("c").toString()),
            2,
            "--architectures names no architecture"),
        refused(
            "a feature-map method on Dense layers",
            nothing,
            dir ->
                List.of(
                    "train",
                    "--data",
                    "csv:" + WINE,
                    "--layers",
                    "8",
                    "--dropout",
                    "spatial:p=0.1",
                    "--out",
                    dir.resolve("o").toString()),
            2,
            "--dropout spatial",
            "needs convolutional layers"),
        refused(
            "a device as a table",
            dir -> Files.createSymbolicLink(dir.resolve("zero.csv"), Path.of("/dev/zero")),
            dir -> List.of("data", "--data", "csv:" + dir.resolve("zero.csv")),
            2,
            "is not a regular file"),
        refused(
            "--scale for an exported model",
            nothing,
            dir ->
                List.of(
                    "eval",
                    "--model",
                    model.toString(),
                    "--data",
                    "csv:" + WINE,
                    "--scale",
                    "standardize"),
            2,
            "--scale standardize does not apply to an exported model"),
        refused(
            "an unknown activation",
            nothing,
            dir ->
                List.of(
                    "train",
                    "--data",
                    "csv:" + WINE,
                    "--activation",
                    "gelu",
                    "--out",
                    dir.resolve("o").toString()),
            2,
            "--activation gelu",
            "allowed: relu"),
        refused(
            "a seed that is not a number",
            nothing,
            dir -> List.of("train", "--data", "csv:" + WINE, "--seed", "abc"),
            2,
            "--seed",
            "'abc' is not a whole number"),
        refused(
            "training on from a model with other class names",
            dir ->
                Files.writeString(
                    dir.resolve("named.csv"),
                    String.join(
                            "\n",
                            Files.readAllLines(WINE).stream()
                                .skip(1)
                                .map(
                                    l ->
                                        l.replaceFirst(",0$", ",a")
                                            .replaceFirst(",1$", ",b")
                                            .replaceFirst(",2$", ",c"))
                                .toList())
                        + "\n"),
            dir ->
                List.of(
                    "train",
                    "--init-from",
                    model.toString(),
                    "--data",
                    "csv:" + dir.resolve("named.csv"),
                    "--out",
                    dir.resolve("o").toString()),
            1,
            "named.csv",
            "label 'a' is not one of the model's classes"),
        refused(
            "bench batches larger than the data",
            nothing,
            dir ->
                List.of(
                    "bench",
                    "--data",
                    "csv:" + WINE,
                    "--layers",
                    "8",
                    "--batch-sizes",
                    "200",
                    "--steps",
                    "10"),
            2,
            "--batch-sizes [200]",
            "more than the 142 training examples"),
        refused(
            "bench methods that are the same spec written two ways",
            nothing,
            dir ->
                List.of(
                    "bench",
                    "--data",
                    "csv:" + WINE,
                    "--layers",
                    "8",
                    "--methods",
                    "none;standard:p=adaptive(r0=0.3);scheduled:schedule=adaptive,r0=0.3",
                    "--steps",
                    "10"),
            2,
            "--methods",
            "standard:p=adaptive(r0=0.3) is given twice; each method may appear once"),
        // Models from KotlinDL.
        refused(
            "a KotlinDL weight that is NaN",
            dir -> {
              Path m = copyTree(KOTLINDL_MLP, dir.resolve("kdl"));
              Files.writeString(
                  m.resolve("dense_5_dense_bias.txt"),
                  Files.readString(m.resolve("dense_5_dense_bias.txt"))
                      .replaceFirst("\\S+", "NaN"));
            },
            dir ->
                List.of(
                    "import",
                    "--from",
                    "kotlindl",
                    dir.resolve("kdl").toString(),
                    "--out",
                    dir.resolve("imported").toString()),
            1,
            "dense_5_dense_bias.txt",
            "value 1 is NaN",
            "finite"),
        refused(
            "a KotlinDL layer named to read outside its model",
            dir -> {
              Path m = copyTree(KOTLINDL_MLP, dir.resolve("kdl"));
              Files.writeString(
                  m.resolve("modelConfig.json"),
                  Files.readString(m.resolve("modelConfig.json"))
                      .replace("\"dense_3\"", "\"../../outside/evil\""));
            },
            dir ->
                List.of(
                    "import",
                    "--from",
                    "kotlindl",
                    dir.resolve("kdl").toString(),
                    "--out",
                    dir.resolve("imported").toString()),
            1,
            "../../outside/evil",
            "not a plain file name"),
        refused(
            "a KotlinDL layer of 10^12 units",
            dir -> {
              Path m = copyTree(KOTLINDL_MLP, dir.resolve("kdl"));
              Files.writeString(
                  m.resolve("modelConfig.json"),
                  Files.readString(m.resolve("modelConfig.json"))
                      .replace("\"units\" : 32", "\"units\" : 1000000000000"));
            },
            dir ->
                List.of(
                    "import",
                    "--from",
                    "kotlindl",
                    dir.resolve("kdl").toString(),
                    "--out",
                    dir.resolve("imported").toString()),
            1,
            "dense_3",
            "units 1000000000000 is not a whole number"),
        // The uncertainty study: what would mix the held-out classes in, or is not Fashion-MNIST.
        refused(
            "the uncertainty study with fitted scaling",
            nothing,
            dir -> uncertaintyStudy(dir, "--scale", "standardize"),
            2,
            "--scale standardize does not apply to the uncertainty study",
            "held-out ones"),
        refused(
            "the uncertainty study on a table",
            nothing,
            dir -> uncertaintyStudy(dir, "--data", "csv:" + WINE),
            2,
            "the uncertainty study draws its subsets from Fashion-MNIST"),
        // Pruning: shares outside (0, 1] or that leave a layer empty, an unknown ranking, a user's
        // folder as the output.
        refused(
            "prune keeping nothing",
            nothing,
            dir -> prune(dir, "--keep", "0"),
            2,
            "--keep 0.0",
            "a share is in (0, 1]"),
        refused(
            "prune keeping a share that leaves no unit",
            nothing,
            dir -> prune(dir, "--keep", "0.01"),
            2,
            "hidden layer 1 has 16 units, and keeping this share of them leaves none"),
        refused(
            "prune with a share per layer too many",
            nothing,
            dir -> prune(dir, "--keep", "0.5,0.5"),
            2,
            "one for each of the 1 hidden layers"),
        refused(
            "prune by an unknown ranking",
            nothing,
            dir -> prune(dir, "--keep", "0.5", "--by", "loudness"),
            2,
            "--by loudness",
            "magnitude-l1"),
        refused(
            "prune over a user's folder",
            dir -> {
              Files.createDirectories(dir.resolve("mine"));
              Files.writeString(dir.resolve("mine/notes.txt"), "mine\n");
            },
            dir -> prune(dir, "--keep", "0.5", "--out", dir.resolve("mine").toString()),
            2,
            "mine"),
        refused(
            "prune into the model it reads",
            nothing,
            dir -> prune(dir, "--keep", "0.5", "--out", model.resolve("pruned").toString()),
            2,
            "is not allowed inside --model",
            "read, never written"),
        refused(
            "prune in no step",
            nothing,
            dir -> prune(dir, "--keep", "0.5", "--steps", "0"),
            2,
            "--steps",
            "must be >= 1"),
        refused(
            "prune with negative fine-tuning",
            nothing,
            dir -> prune(dir, "--keep", "0.5", "--fine-tune-epochs", "-1"),
            2,
            "--fine-tune-epochs",
            "must be >= 0"),
        refused(
            "prune with a learning rate but no fine-tuning",
            nothing,
            dir -> prune(dir, "--keep", "0.5", "--lr", "0.1"),
            2,
            "--lr trains the pruned network",
            "--fine-tune-epochs"),
        refused(
            "prune with both --keep and --sweep",
            nothing,
            dir -> prune(dir, "--keep", "0.5", "--sweep", "0.5,0.25"),
            2,
            "give --keep SHARE to prune once, or --sweep"),
        refused(
            "prune with neither --keep nor --sweep",
            nothing,
            dir -> prune(dir),
            2,
            "give --keep SHARE to prune once, or --sweep"),
        refused(
            "prune once by two rankings",
            nothing,
            dir -> prune(dir, "--keep", "0.5", "--by", "random;magnitude-l1"),
            2,
            "--by",
            "several only with --sweep"),
        refused(
            "sweep to a share that leaves no unit",
            nothing,
            dir -> prune(dir, "--sweep", "0.5,0.01"),
            2,
            "--sweep 0.01",
            "leaves none"),
        refused(
            "prune once with a chart",
            nothing,
            dir -> prune(dir, "--keep", "0.5", "--plots", dir.resolve("plots").toString()),
            2,
            "--plots",
            "give --sweep"),
        refused(
            "sweep in no step",
            nothing,
            dir -> prune(dir, "--sweep", "0.5", "--steps", "0"),
            2,
            "--steps 0 applies to --keep"),
        refused(
            "sweep into a folder of dropwise's holding the model",
            dir -> {
              Files.createDirectories(dir.resolve("sweep"));
              Files.writeString(dir.resolve("sweep/" + OutputDirectories.MARKER), "dropwise\n");
              copyTree(model, dir.resolve("sweep/m"));
            },
            dir ->
                List.of(
                    "prune",
                    "--model",
                    dir.resolve("sweep/m").toString(),
                    "--data",
                    "csv:" + WINE,
                    "--sweep",
                    "0.5",
                    "--out",
                    dir.resolve("sweep").toString()),
            2,
            "lies inside --out",
            "read, never written"),
        refused(
            "sweep whose model folder would replace a file of yours",
            dir -> {
              Files.createDirectories(dir.resolve("sweep"));
              Files.writeString(dir.resolve("sweep/" + OutputDirectories.MARKER), "dropwise\n");
              Files.writeString(dir.resolve("sweep/random-keep0.5"), "mine\n");
            },
            dir ->
                prune(
                    dir,
                    "--sweep",
                    "0.5",
                    "--by",
                    "random",
                    "--out",
                    dir.resolve("sweep").toString()),
            2,
            "random-keep0.5"),
        refused(
            "sweep in steps",
            nothing,
            dir -> prune(dir, "--sweep", "0.5", "--steps", "2"),
            2,
            "--steps 2 applies to --keep"),
        refused(
            "sweep over a user's folder",
            dir -> {
              Files.createDirectories(dir.resolve("mine"));
              Files.writeString(dir.resolve("mine/notes.txt"), "mine\n");
            },
            dir -> prune(dir, "--sweep", "0.5", "--out", dir.resolve("mine").toString()),
            2,
            "mine"),
        // Recurrent layers: refused on data without a time axis, with a --sequence that does not
        // fit, and with a method that cannot run inside them, naming what can.
        refused(
            "a recurrent layer on a table's flat rows",
            nothing,
            dir -> trainWine(dir, "--layers", "lstm:8"),
            2,
            "--layers lstm:8",
            "flat vectors of 13 values; give --sequence T"),
        refused(
            "a sequence length that does not divide the rows",
            nothing,
            dir -> trainWine(dir, "--layers", "lstm:8", "--sequence", "5"),
            2,
            "--sequence 5: it does not divide the 13 values of an example into equal time steps"),
        refused(
            "a sequence length without a recurrent layer",
            nothing,
            dir -> trainWine(dir, "--layers", "8", "--sequence", "13"),
            2,
            "--sequence 13: it reads examples as time steps for recurrent layers"),
        refused(
            "a method that cannot run on a recurrent layer's state",
            nothing,
            dir -> trainWine(dir, "--layers", "gru(units=8,state=alpha)", "--sequence", "13"),
            2,
            "state=alpha:p=0.1 cannot run inside a recurrent layer",
            "state takes none, standard, sector, lrp, lrp-official, ydrop, pfid, pfid-paper, gaussian"),
        refused(
            "the recurrent benchmark on layers without one",
            nothing,
            dir -> List.of("bench", "--recurrent", "--data", "embedded", "--layers", "64"),
            2,
            "--recurrent times recurrent layers, and --layers 64 has none"),
        refused(
            "the recurrent study on a table",
            nothing,
            dir ->
                List.of(
                    "report",
                    "--section",
                    "recurrent",
                    "--data",
                    "csv:" + WINE,
                    "--out",
                    dir.resolve("r.md").toString(),
                    "--runs",
                    dir.resolve("runs").toString()),
            2,
            "the recurrent study draws its subsets from Fashion-MNIST"));
  }

  /** {@code train} on the wine table into {@code dir/out}, with {@code more}. */
  private static List<String> trainWine(Path dir, String... more) {
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "train",
                "--data",
                "csv:" + WINE,
                "--epochs",
                "1",
                "--out",
                dir.resolve("out").toString()));
    args.addAll(List.of(more));
    return args;
  }

  /** {@code prune} of the shared wine model into {@code dir/pruned}, unless --out is given. */
  private static List<String> prune(Path dir, String... more) {
    List<String> args =
        new java.util.ArrayList<>(
            List.of("prune", "--model", model.toString(), "--data", "csv:" + WINE));
    args.addAll(List.of(more));
    if (!args.contains("--out")) {
      args.addAll(List.of("--out", dir.resolve("pruned").toString()));
    }
    return args;
  }

  private static List<String> uncertaintyStudy(Path dir, String... more) {
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "report",
                "--section",
                "uncertainty",
                "--budget",
                "small",
                "--out",
                dir.resolve("r.md").toString(),
                "--runs",
                dir.resolve("runs").toString()));
    args.addAll(List.of(more));
    return args;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void isRefusedInWordsBeforeAnyWorkLeavingEveryFileAsItWas(Case c, @TempDir Path dir)
      throws IOException {
    c.setup().in(dir);
    Map<String, Integer> before = tree(dir);
    Map<String, Integer> modelBefore = tree(model);
    Outcome outcome = run(c.args().apply(dir).toArray(String[]::new));
    assertEquals(c.code(), outcome.code(), "exit code; stderr: " + outcome.err());
    for (String part : c.says()) {
      assertTrue(
          outcome.err().contains(part), "the message names '" + part + "': " + outcome.err());
    }
    assertFalse(
        JAVA.matcher(outcome.err()).find(), "no Java class, exception or frame: " + outcome.err());
    assertEquals(before, tree(dir), "nothing written, nothing removed");
    assertEquals(modelBefore, tree(model), "the model is as it was");
  }

  /**
   * Wine without class 0, as a test set: before, its class "1" was scored as the model's "0"
   * (accuracy 0.0000). Now every label keeps the model's index, and predict's table agrees with
   * eval.
   */
  @Test
  void dataWithoutAClassIsScoredByClassName(@TempDir Path dir) throws IOException {
    List<String> lines = Files.readAllLines(WINE);
    List<String> kept = new ArrayList<>(List.of(lines.get(0)));
    lines.stream().skip(1).filter(l -> !l.endsWith(",0")).forEach(kept::add);
    Path wine12 = dir.resolve("wine12.csv");
    Files.write(wine12, kept);
    List<String> data = List.of("--data", "csv:" + WINE, "--test-data", "csv:" + wine12);
    Outcome eval = run(concat(List.of("eval", "--model", model.toString()), data));
    assertEquals(0, eval.code(), eval.err());
    Outcome predict =
        run(
            concat(
                List.of(
                    "predict",
                    "--model",
                    model.toString(),
                    "--limit",
                    "1000",
                    "--out",
                    dir.resolve("p.csv").toString()),
                data));
    assertEquals(0, predict.code(), predict.err());
    List<String[]> rows =
        Files.readAllLines(dir.resolve("p.csv")).stream().skip(1).map(l -> l.split(",")).toList();
    assertEquals(kept.size() - 1, rows.size(), "one row per example of classes 1 and 2");
    assertTrue(
        rows.stream().allMatch(r -> r[1].equals("1") || r[1].equals("2")),
        "labels are the model's indices");
    long correct = rows.stream().filter(r -> r[1].equals(r[2])).count();
    String accuracy =
        String.format(java.util.Locale.ROOT, "accuracy %.4f", (double) correct / rows.size());
    assertTrue(
        eval.out().contains(accuracy),
        "eval agrees with predict's table (" + accuracy + "): " + eval.out());
    assertTrue((double) correct / rows.size() > 0.5, "the model knows these classes: " + accuracy);
  }

  /** A batch larger than the data is a batch of all of it: no longer refused as needing 176 GiB. */
  @Test
  void aBatchLargerThanTheDataTrains(@TempDir Path dir) {
    Outcome train =
        run(
            "train",
            "--data",
            "csv:" + WINE,
            "--layers",
            "8",
            "--epochs",
            "1",
            "--batch-size",
            String.valueOf(Integer.MAX_VALUE),
            "--out",
            dir.resolve("o").toString());
    assertEquals(0, train.code(), train.err());
  }

  /**
   * A comparison whose every run diverged ends with exit 1 (it said 0), its table of failed runs
   * written.
   */
  @Test
  void aComparisonWhoseEveryRunFailedExitsWithOne(@TempDir Path dir) {
    Outcome compare =
        run(
            "compare",
            "--data",
            "csv:" + WINE,
            "--layers",
            "8",
            "--epochs",
            "1",
            "--lr",
            "1e30",
            "--methods",
            "none;standard:p=0.5",
            "--out",
            dir.resolve("c").toString());
    assertEquals(1, compare.code(), compare.out() + compare.err());
    assertTrue(compare.err().contains("every run failed"), compare.err());
    assertTrue(
        Files.isRegularFile(dir.resolve("c/results.csv")), "the table of failed runs is written");
  }

  /** A byte-order mark no longer costs a headerless table its first row. */
  @Test
  void aByteOrderMarkIsNotData(@TempDir Path dir) throws IOException {
    String rows = "1,2,a\n3,4,b\n5,6,a\n7,8,b\n9,10,a\n";
    Files.writeString(dir.resolve("bom.csv"), "\uFEFF" + rows);
    Files.writeString(dir.resolve("plain.csv"), rows);
    Outcome bom = run("data", "--data", "csv:" + dir.resolve("bom.csv"));
    Outcome plain = run("data", "--data", "csv:" + dir.resolve("plain.csv"));
    assertEquals(0, bom.code(), bom.err());
    assertTrue(bom.out().contains("(5 rows, 2 features, 2 classes)"), bom.out());
    // The same report, but for the time it took to read.
    String took = "read and scaled in [0-9.]+ s";
    assertEquals(
        plain.out().replace("plain.csv", "bom.csv").replaceAll(took, "read and scaled"),
        bom.out().replaceAll(took, "read and scaled"));
  }

  /** Unsigned 64-bit labels of 2^63 and more keep their value (they were shown negative). */
  @Test
  void unsignedLabelsKeepTheirValue(@TempDir Path dir) throws IOException {
    ByteBuffer x = ByteBuffer.allocate(4 * 8).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < 8; i++) {
      x.putFloat(i);
    }
    ByteBuffer y = ByteBuffer.allocate(8 * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (long label : new long[] {-1L, 5L, -1L, 5L}) { // -1 as uint64: 18446744073709551615
      y.putLong(label);
    }
    npy(dir.resolve("x.npy"), "<f4", "(4, 2)", x.array());
    npy(dir.resolve("y.npy"), "<u8", "(4,)", y.array());
    Outcome out =
        run(
            "data",
            "--data",
            "npy:" + dir.resolve("x.npy") + "," + dir.resolve("y.npy"),
            "--test-fraction",
            "0.5");
    assertEquals(0, out.code(), out.err());
    assertTrue(out.out().contains("18446744073709551615"), out.out());
    assertFalse(out.out().contains("-1"), out.out());
  }

  private static List<String> faithfulness(Path dir, String... more) {
    return onTheWineModel("faithfulness", dir.resolve("f"), more);
  }

  private static List<String> explainInput(Path dir, String... more) {
    return onTheWineModel("explain", dir.resolve("r.npy"), more);
  }

  /** {@code command} on the wine export and data, writing to {@code out}, then {@code more}. */
  private static List<String> onTheWineModel(String command, Path out, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                command,
                "--model",
                model.toString(),
                "--data",
                "csv:" + WINE,
                "--out",
                out.toString()));
    args.addAll(List.of(more));
    return args;
  }

  private static List<String> evalOn(Path dir) {
    return List.of("eval", "--model", dir.resolve("model").toString(), "--data", "csv:" + WINE);
  }

  private static String[] concat(List<String> a, List<String> b) {
    return Stream.concat(a.stream(), b.stream()).toArray(String[]::new);
  }

  /** The wine table with its last row's label replaced. */
  private static void wineWithLabel(Path file, String label) throws IOException {
    List<String> lines = new ArrayList<>(Files.readAllLines(WINE));
    String last = lines.get(lines.size() - 1);
    lines.set(lines.size() - 1, last.substring(0, last.lastIndexOf(',') + 1) + label);
    Files.write(file, lines);
  }

  private static void copyModel(Path dir) throws IOException {
    copyTree(model, dir.resolve("model"));
  }

  /** A copy of the model with its metadata edited by {@code edit}. */
  private static void metadata(Path dir, java.util.function.Consumer<ObjectNode> edit)
      throws IOException {
    copyModel(dir);
    Path file = dir.resolve("model/dropwise-model.json");
    ObjectNode m = (ObjectNode) Json.MAPPER.readTree(file.toFile());
    edit.accept(m);
    Files.write(file, Json.MAPPER.writeValueAsBytes(m));
  }

  private static Path copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path p : walk.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
    return to;
  }

  /** Two classes of two 4x4 grey PNG images each. */
  private static void images(Path dir) throws IOException {
    for (String c : List.of("a", "b")) {
      Path folder = Files.createDirectories(dir.resolve("images").resolve(c));
      for (int i = 0; i < 2; i++) {
        java.awt.image.BufferedImage image =
            new java.awt.image.BufferedImage(4, 4, java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
        javax.imageio.ImageIO.write(image, "png", folder.resolve(i + ".png").toFile());
      }
    }
  }

  private static byte[] gzip(byte[] bytes) throws IOException {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    try (OutputStream gz = new GZIPOutputStream(out)) {
      gz.write(bytes);
    }
    return out.toByteArray();
  }

  /**
   * An .npy file of version 1.0 with the header NumPy would write for {@code descr} and {@code
   * shape}.
   */
  static void npy(Path file, String descr, String shape, byte[] data) throws IOException {
    String header = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
    int unpadded = 10 + header.length() + 1;
    header = header + " ".repeat((64 - unpadded % 64) % 64) + "\n";
    ByteBuffer b =
        ByteBuffer.allocate(10 + header.length() + data.length).order(ByteOrder.LITTLE_ENDIAN);
    b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0})
        .putShort((short) header.length())
        .put(header.getBytes(StandardCharsets.US_ASCII))
        .put(data);
    Files.write(file, b.array());
  }

  /**
   * Every file under {@code dir} with a hash of its content: what a refused command must leave as
   * it was.
   */
  private static Map<String, Integer> tree(Path dir) throws IOException {
    Map<String, Integer> out = new TreeMap<>();
    if (!Files.exists(dir)) {
      return out;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.toList()) {
        // A link is its target, never read through (one of the cases links /dev/zero).
        out.put(
            dir.relativize(p).toString(),
            Files.isSymbolicLink(p)
                ? Files.readSymbolicLink(p).hashCode()
                : Files.isDirectory(p) ? -1 : Arrays.hashCode(Files.readAllBytes(p)));
      }
    }
    return out;
  }
}
