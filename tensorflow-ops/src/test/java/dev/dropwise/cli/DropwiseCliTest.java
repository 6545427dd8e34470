package dev.dropwise.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dropwise.util.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DropwiseCliTest {
  @TempDir Path dir;

  record Outcome(int code, String err) {}

  Outcome run(String... args) {
    StringWriter err = new StringWriter();
    int code = Dropwise.run(new PrintWriter(err, true), args);
    return new Outcome(code, err.toString());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "--dropout standard:p=1.5             | p=1.5 is not allowed: it must be in [0, 1)",
        "--dropout sector:n=1,p=0.5           | n=1 is not allowed: n must be >= 2",
        "--dropout sector:n=8,p=0.05          | m = round(p*n) = round(0.05*8) = 0 is not allowed",
        "--dropout sector:n=8,p=0.99          | m = round(p*n) = round(0.99*8) = 8 is not allowed",
        "--dropout sector:n=64,p=0.5 --layers 32 | n=64 is wider than the layer (32 units)",
        "--dropout wavy:p=0.5                 | unknown dropout method 'wavy'",
        "--epochs 0                           | --epochs 0 is not allowed: must be >= 1",
        "--batch-size 0                       | --batch-size 0 is not allowed",
        "--lr -1                              | lr=-1.0 is not allowed: it must be > 0",
        "--optimizer rmsprop                  | optimizer 'rmsprop' is not allowed; use sgd, momentum or adam",
        "--data /no/such/dir                  | --data /no/such/dir: no such directory",
        "--patience 2 --val-fraction 0        | --patience 2 needs a validation set",
        "--resume                             | --resume needs --checkpoint-dir",
        "--activation mish                    | unknown activation 'mish'; allowed: relu, tanh, selu, linear, sigmoid, elu, relu6, softplus, swish",
        "--layers 64,x                        | dropwise: --layers 64,x: unknown layer 'x' in 'x'; allowed: dense, conv, lstm, gru, pool, bn, flatten",
        "--layers conv:4x3 --image 3x3x1      | dropwise: --image 3x3x1: it holds 9 values but the data has 784 features",
        "--layers lstm:8 --sequence 5         | dropwise: --sequence 5: it does not divide the 784 values of an example into equal time steps",
        "--layers 64 --sequence 28            | dropwise: --sequence 28: it reads examples as time steps for recurrent layers, and the layers 64 have none",
        "--layers lstm:8:all                  | return=all is not allowed: last or seq",
        "--layers lstm:8,conv:4x3             | needs a feature map HxWxC but receives 8 flat features",
      })
  void badArgumentsAreRefusedBeforeAnythingIsBuilt(String options, String expected) {
    Path out = dir.resolve("out");
    List<String> args = new ArrayList<>(List.of("train", "--out", out.toString()));
    args.addAll(List.of(options.trim().split("\\s+")));
    if (!args.contains("--data")) {
      args.addAll(List.of("--data", "embedded"));
    }
    Outcome o = run(args.toArray(String[]::new));
    assertEquals(2, o.code(), o.err());
    assertTrue(o.err().contains(expected), o.err());
    assertFalse(Files.exists(out), "nothing is written for refused arguments");
  }

  @Test
  void trainExportsAndEvalReadsTheExport() throws Exception {
    Path out = dir.resolve("out");
    Path model = dir.resolve("model");
    Outcome trained =
        run(
            "train",
            "--data",
            "embedded",
            "--limit",
            "600",
            "--layers",
            "32,32",
            "--dropout",
            "sector:n=8,p=0.5",
            "--epochs",
            "2",
            "--seed",
            "5",
            "--out",
            out.toString(),
            "--export",
            model.toString());
    assertEquals(0, trained.code(), trained.err());
    List<String> csv = Files.readAllLines(out.resolve("history.csv"));
    assertEquals(3, csv.size(), "header and one line per epoch");
    assertTrue(csv.get(0).startsWith("epoch,step,train_loss,train_accuracy,validation_loss"));
    JsonNode json = Json.MAPPER.readTree(out.resolve("history.json").toFile());
    assertEquals(2, json.size());
    assertEquals(
        2 * 9,
        json.get(1).get("step").asInt(),
        "540 training examples at batch 64 are 9 steps an epoch");
    assertTrue(Files.isRegularFile(model.resolve("saved_model.pb")));
    Outcome evaluated = run("eval", "--data", "embedded", "--model", model.toString());
    assertEquals(0, evaluated.code(), evaluated.err());
  }

  @Test
  void compareSetsEachMethodAgainstTheBaselinePairedBySeed() throws Exception {
    Path out = dir.resolve("compare");
    Outcome o =
        run(
            "compare",
            "--data",
            "embedded",
            "--limit",
            "600",
            "--layers",
            "16",
            "--epochs",
            "1",
            "--seeds",
            "1,2,3",
            "--methods",
            "none;standard:p=0.5;sector:n=8,p=0.5",
            "--baseline",
            "standard:p=0.5",
            "--out",
            out.toString());
    assertEquals(0, o.code(), o.err());
    String md = Files.readString(out.resolve("results.md"));
    List<String> lines = md.lines().filter(l -> l.startsWith("- `")).toList();
    assertEquals(2, lines.size(), md);
    assertTrue(
        lines.get(0).startsWith("- `none`: ") && lines.get(1).startsWith("- `sector:n=8,p=0.5`: "),
        md);
    assertTrue(
        lines.stream()
            .allMatch(l -> l.contains("against standard:p=0.5 over 3 paired seeds (t = ")),
        md);
  }

  @Test
  void compareRefusesABaselineThatIsNotAmongTheMethods() {
    Path out = dir.resolve("compare");
    Outcome o =
        run(
            "compare",
            "--data",
            "embedded",
            "--methods",
            "none;standard:p=0.5",
            "--baseline",
            "standard:p=0.3",
            "--out",
            out.toString());
    assertEquals(2, o.code(), o.err());
    assertTrue(
        o.err()
            .contains(
                "--baseline standard:p=0.3 is not allowed: it must be one of --methods (none; standard:p=0.5)"),
        o.err());
    assertFalse(Files.exists(out), "nothing is written for refused arguments");
  }

  @Test
  void evalRefusesADirectoryWithoutAModel() {
    Outcome o = run("eval", "--data", "embedded", "--model", dir.toString());
    assertEquals(2, o.code());
    assertTrue(o.err().contains("--model " + dir + ": no saved_model.pb there"), o.err());
  }

  @Test
  void methodsListsTheRegisteredMethodsWithTheirDefaults() {
    YourOwnDataCliTest.Outcome printed = YourOwnDataCliTest.run("methods", "sector-wise");
    assertEquals(0, printed.code(), printed.err());
    List<String> lines = printed.out().lines().toList();
    assertEquals(
        "sector (sector-wise, sectorwise)  sector-wise: exactly round(p*n) of every n units",
        lines.get(0));
    assertEquals(
        List.of("n 8", "p 0.5", "mode example"),
        lines.subList(1, 4).stream()
            .map(l -> l.trim().split("\\s+"))
            .map(w -> w[0] + " " + w[1])
            .toList());
    Outcome unknown = run("methods", "wavy");
    assertEquals(2, unknown.code());
    assertTrue(
        unknown
            .err()
            .contains(
                "METHOD 'wavy' is not a registered dropout method, importance measure, schedule or input attribution; allowed: none, standard, sector"),
        unknown.err());
    YourOwnDataCliTest.Outcome schedule = YourOwnDataCliTest.run("methods", "adaptive");
    assertEquals(0, schedule.code(), schedule.err());
    assertTrue(schedule.out().startsWith("adaptive  Eq. 1: by depth and epoch\n"), schedule.out());
    // A name two registries use shows both entries: LRP-guided dropout, then LRP to the input.
    YourOwnDataCliTest.Outcome both = YourOwnDataCliTest.run("methods", "lrp");
    assertEquals(0, both.code(), both.err());
    List<String> heads = both.out().lines().filter(l -> l.startsWith("lrp ")).toList();
    assertEquals(2, heads.size(), both.out());
    assertTrue(heads.get(1).startsWith("lrp  LRP to the input with a composite"), both.out());
  }

  @Test
  void benchPrintsOneRowPerMethodAndTheProductsAndTellsAlikeMethodsApart() {
    YourOwnDataCliTest.Outcome printed =
        YourOwnDataCliTest.run(
            "bench",
            "--data",
            "embedded",
            "--layers",
            "32,16",
            "--batch-sizes",
            "8",
            "--warmup",
            "1",
            "--steps",
            "10",
            "--threads",
            "1",
            "--methods",
            "none;ydrop;ydrop:path=factored;lrp");
    assertEquals(0, printed.code(), printed.err());
    assertTrue(
        printed
            .out()
            .lines()
            .anyMatch(
                l -> l.startsWith("network: 784-32-16-10") && l.endsWith(", 1 TensorFlow threads")),
        printed.out());
    List<String> rows =
        printed
            .out()
            .lines()
            .filter(l -> l.trim().startsWith("8 "))
            .map(l -> l.trim().split("\\s{2,}", -1)[1])
            .toList();
    assertEquals(
        List.of("none", "ydrop", "ydrop:path=factored", "lrp:p=0.35", "matrix products only"),
        rows);
    YourOwnDataCliTest.Outcome negative =
        YourOwnDataCliTest.run("bench", "--data", "embedded", "--threads", "-1");
    assertTrue(
        negative.code() != 0
            && negative.err().contains("--threads -1 is not allowed: must be >= 0 (0: every core)"),
        negative.err());
  }

  /**
   * bench --recurrent times one LSTM with each way to drop in it, the arms named and explained
   * under the table, and refuses --methods beside its fixed arms.
   */
  @Test
  void benchRecurrentTimesEachWayToDropInAnLstm() {
    YourOwnDataCliTest.Outcome printed =
        YourOwnDataCliTest.run(
            "bench",
            "--recurrent",
            "--data",
            "embedded",
            "--layers",
            "lstm:8",
            "--batch-sizes",
            "8",
            "--warmup",
            "1",
            "--steps",
            "10",
            "--threads",
            "1");
    assertEquals(0, printed.code(), printed.err());
    assertTrue(printed.out().contains("network: 28x28-lstm8-10"), printed.out());
    List<String> rows =
        printed
            .out()
            .lines()
            .filter(l -> l.matches("\\s+8\\s+.*"))
            .map(l -> l.trim().split("\\s{2,}")[1])
            .toList();
    assertEquals(
        List.of(
            "none",
            "standard after",
            "variational",
            "zoneout",
            "ydrop on state",
            "matrix products only"),
        rows);
    assertTrue(
        printed
            .out()
            .contains(
                "variational: inside each recurrent layer, input=standard(p=0.25),state=standard(p=0.25)"),
        printed.out());
    YourOwnDataCliTest.Outcome both =
        YourOwnDataCliTest.run(
            "bench", "--recurrent", "--data", "embedded", "--methods", "none;standard");
    assertTrue(
        both.code() == 2 && both.err().contains("--methods does not apply to --recurrent"),
        both.err());
    YourOwnDataCliTest.Outcome cnn =
        YourOwnDataCliTest.run("bench", "--recurrent", "--cnn", "--data", "embedded");
    assertTrue(cnn.code() == 2 && cnn.err().contains("give one"), cnn.err());
  }

  /**
   * bench --mc prints both ways of running the passes, which it has checked give the same passes,
   * and as many dropout-free passes for reference; the numbers are times, not asserted here.
   */
  @Test
  void benchMcTimesBothWaysOfRunningThePasses() {
    YourOwnDataCliTest.Outcome printed =
        YourOwnDataCliTest.run(
            "bench",
            "--data",
            "embedded",
            "--layers",
            "32",
            "--mc",
            "12",
            "--mc-examples",
            "20",
            "--mc-repeats",
            "1");
    assertEquals(0, printed.code(), printed.err());
    assertTrue(printed.out().contains("12 passes over 20 test examples"), printed.out());
    assertTrue(
        printed.out().lines().anyMatch(l -> l.contains("one pass per call") && l.contains(" 12 ")),
        printed.out());
    assertTrue(
        printed.out().lines().anyMatch(l -> l.contains("10 passes per call") && l.contains(" 2 ")),
        printed.out());
    assertTrue(
        printed
            .out()
            .lines()
            .anyMatch(l -> l.contains("no dropout, one pass") && l.contains(" 12 ")),
        printed.out());
    for (String[] bad :
        new String[][] {
          {"--mc", "1", "--mc 1: Monte Carlo samples=1 is not allowed"},
          {"--mc-method", "ydrop", "--mc-method ydrop: Monte Carlo dropout needs"}
        }) {
      List<String> args =
          new java.util.ArrayList<>(List.of("bench", "--data", "embedded", "--layers", "32"));
      if (!bad[0].equals("--mc")) {
        args.addAll(List.of("--mc", "5"));
      }
      args.addAll(List.of(bad[0], bad[1]));
      YourOwnDataCliTest.Outcome refused = YourOwnDataCliTest.run(args.toArray(String[]::new));
      assertEquals(2, refused.code(), refused.err());
      assertTrue(refused.err().contains(bad[2]), refused.err());
    }
  }
}
