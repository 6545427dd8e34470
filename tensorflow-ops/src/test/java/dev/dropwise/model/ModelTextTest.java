package dev.dropwise.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dropwise.dropout.DropoutSpec;
import dev.dropwise.dropout.NoDropout;
import dev.dropwise.network.Activation;
import dev.dropwise.network.FeatureShape;
import dev.dropwise.network.Initializer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The model package's texts and sizes on their own: each layer's text reads back as itself, a
 * network's text with its input shape as the same model, an architecture builds the model it says,
 * and parameter counts are the layers' weights counted by hand.
 */
class ModelTextTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        "dense:256:relu:he-uniform",
        "dense:10:linear:glorot-uniform",
        "conv:32x3s1:relu:he-uniform",
        "conv:8x5s2:tanh:glorot-normal",
        "pool:2",
        "bn:0.99:0.001",
        "bn:0.9:0.00001",
        "flatten",
        "lstm:64",
        "gru:8:seq:orthogonal",
        "dropout(sector:n=8,p=0.5)",
        "dropout(standard:p=adaptive(r0=0.3,alpha=0.4))"
      })
  void everyLayersTextReadsBackAsItself(String text) {
    LayerSpec layer = LayerSpec.parse(text);
    assertEquals(layer, LayerSpec.parse(layer.text()));
    assertEquals(layer.text(), LayerSpec.parse(layer.text()).text());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "dense:64             | dense:64:relu:he-uniform",
        "DENSE:64:TANH        | dense:64:tanh:he-uniform",
        "conv:16x3            | conv:16x3s1:relu:he-uniform",
        "bn                   | bn:0.99:0.001",
      })
  void leftOutPartsTakeTheDefaults(String text, String full) {
    assertEquals(LayerSpec.parse(full), LayerSpec.parse(text));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "dense:256:relu:he-uniform      | dense(units=256)",
        "512                            | dense(units=512)",
        "dense:10:linear:glorot-uniform | dense(units=10,activation=linear,init=glorot-uniform)",
        "conv:32x3s1:relu:he-uniform    | conv(filters=32,size=3)",
        "conv:8x5s2:tanh:glorot-normal  | conv(filters=8,size=5,stride=2,activation=tanh,init=glorot-normal)",
        "pool:2                         | pool(size=2)",
        "bn:0.99:0.001                  | bn",
        "bn:0.9:0.00001                 | bn(momentum=0.9,epsilon=0.00001)",
        "flatten                        | flatten",
        "lstm:128                       | lstm(units=128)",
        "lstm:64:seq                    | lstm(units=64,return=seq)",
        "gru:32:last:he-uniform         | gru(units=32,init=he-uniform)",
        "DENSE ( UNITS = 64 , activation = TANH ) | dense(units=64,activation=tanh)",
      })
  void aLayersTextIsItsNameAndTheSettingsOffTheirDefaultsAsEverySpecIs(
      String written, String canonical) {
    LayerSpec layer = LayerSpec.parse(written);
    assertEquals(canonical, layer.text());
    assertEquals(layer, LayerSpec.parse(canonical));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "dense               | units is required in layer 'dense' (units, >= 1)",
        "dense:x             | units=x in layer 'dense:x' is not a whole number",
        "conv:3              | conv's first value '3' in layer 'conv:3' is not FILTERSxSIZE[sSTRIDE]",
        "conv(filters=8)     | size is required in layer 'conv(filters=8)'",
        "pool                | size is required in layer 'pool'",
        "pool:2:2            | 2 values in layer 'pool:2:2', which takes at most 1",
        "flat                | unknown layer 'flat' in 'flat'; allowed: dense, conv, lstm, gru, pool, bn, flatten; write NAME(key=value,...)",
        "lstm:8:all          | return=all is not allowed: last or seq (in layer 'lstm:8:all')",
        "gru(units=0)        | gru layer units=0 is not allowed: must be >= 1",
        ":                   | unknown layer '' in ':'; allowed: dense",
        "dense(units=0)      | dense layer units=0 is not allowed: must be >= 1 (in layer 'dense(units=0)')",
        "dense(units=8,x=1)  | unknown parameter 'x' in layer 'dense(units=8,x=1)'; allowed: activation, init, units",
        "dense:8:wavy        | unknown activation 'wavy'; allowed: relu",
        "dense(units=8       | '(' at column 6 of 'dense(units=8' in layer 'dense(units=8' is not closed",
        "dense(units=8)x     | has 'x' after its closing parenthesis",
      })
  void whatIsNoLayerIsRefusedNamingTheSettingAndWhatIsAllowed(String text, String expected) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> LayerSpec.parse(text));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }

  @Test
  void aListOfLayersTakesTheNestedFormBesideTheShortOne() {
    Architecture nested =
        Architecture.parse("conv(filters=8,size=3),pool(size=2),dense(units=32,activation=tanh)");
    Architecture short_ = Architecture.parse("conv:8x3,pool:2,dense:32:tanh");
    assertEquals(short_.hidden(), nested.hidden());
    ModelSpec model =
        nested.build(
            FeatureShape.map(28, 28, 1),
            10,
            Activation.RELU,
            Initializer.HE_UNIFORM,
            DropoutSpec.parse("standard:p=0.3"),
            new NoDropout());
    // What an export records, read back; and what an export of an earlier version recorded.
    assertEquals(model.withoutDropout(), ModelSpec.parseNetwork("28x28x1", model.networkText()));
    assertEquals(
        "conv(filters=8,size=3),pool(size=2),flatten,dense(units=32),dense(units=10,activation=linear,init=glorot-uniform)",
        model.networkText());
    assertEquals(
        model.withoutDropout(),
        ModelSpec.parseNetwork(
            "28x28x1",
            "conv:8x3s1:relu:he-uniform,pool:2,dense:32:relu:he-uniform,dense:10:linear:glorot-uniform"));
  }

  @Test
  void aNetworksTextWithItsInputIsTheSameModelWithoutDropout() {
    ModelSpec model =
        Architecture.parse("conv:8x3,bn,pool:2,flatten,32")
            .build(
                FeatureShape.map(28, 28, 1),
                10,
                Activation.RELU,
                Initializer.HE_UNIFORM,
                DropoutSpec.parse("standard:p=0.3"),
                DropoutSpec.parse("spatial:p=0.1"));
    ModelSpec read = ModelSpec.parseNetwork(model.input().toString(), model.networkText());
    assertEquals(model.withoutDropout(), read);
    assertEquals(model.withoutDropout().widths(), read.widths());
  }

  @Test
  void anArchitectureBuildsTheModelItSays() {
    ModelSpec mlp =
        Architecture.parse("64, 32")
            .build(
                FeatureShape.flat(784),
                10,
                Activation.TANH,
                Initializer.GLOROT_NORMAL,
                DropoutSpec.parse("sector:n=8,p=0.5"),
                new NoDropout());
    assertEquals(
        ModelSpec.mlp(
            784,
            List.of(64, 32),
            Activation.TANH,
            Initializer.GLOROT_NORMAL,
            DropoutSpec.parse("sector:n=8,p=0.5"),
            10),
        mlp);
    assertEquals("784-64-32-10", mlp.widths());
    assertEquals("sector:n=8,p=0.5", mlp.dropoutText());
    // Weights and biases counted by hand: 784*64 + 64, 64*32 + 32, 32*10 + 10.
    assertEquals(784L * 64 + 64 + 64 * 32 + 32 + 32 * 10 + 10, mlp.parameters());
    assertEquals(
        List.of("dense_0", "dropout_0", "dense_1", "dropout_1", "dense_2"), mlp.layerNames());
  }

  @Test
  void aConvolutionsParametersAreItsKernelsAndBiasesAndBatchNormsTwoPerChannel() {
    ModelSpec model =
        ModelSpec.parseNetwork("28x28x3", "conv:8x5s1:relu:he-uniform,bn,flatten,dense:10");
    assertEquals(5L * 5 * 3 * 8 + 8, model.parameters(0));
    assertEquals(2L * 8, model.parameters(1));
    assertEquals(28L * 28 * 8 * 10 + 10, model.parameters(3), "SAME padding keeps 28x28");
  }

  @Test
  void multiplyAddsCountAConvolutionsKernelAtEveryOutputPosition() {
    ModelSpec model =
        ModelSpec.parseNetwork("6x6x2", "conv:4x3,bn,pool:2,conv:3x2s2,dense:5,dense:3");
    // conv 3x3x2x4 at 6x6 positions; conv 2x2x4x3 at 2x2 (stride 2 over 3x3); dense 12x5; dense
    // 5x3.
    assertEquals(3 * 3 * 2 * 4 * 36 + 2 * 2 * 4 * 3 * 4 + 12 * 5 + 5 * 3, model.multiplyAdds());
    assertEquals(
        784L * 64 + 64 * 10, ModelSpec.parseNetwork("784", "dense:64,dense:10").multiplyAdds());
  }

  /**
   * Keras's parameter counts (model.summary() of LSTM(128) and GRU(128) on 28 features: 80,384 and
   * 60,672), and the recurrent products at every step as multiply-adds.
   */
  @Test
  void aRecurrentLayersParametersAreKerasesAndItsProductsRepeatEveryStep() {
    ModelSpec lstm = ModelSpec.parseNetwork("28x28", "lstm:128,dense:10");
    assertEquals(80_384, lstm.parameters(0));
    assertEquals(60_672, ModelSpec.parseNetwork("28x28", "gru:128,dense:10").parameters(0));
    assertEquals("28x28-lstm128-10", lstm.widths());
    assertEquals(List.of("lstm_0", "dense_0"), lstm.layerNames());
    assertEquals(28L * (28 + 128) * 4 * 128 + 128 * 10, lstm.multiplyAdds());
    ModelSpec stacked = ModelSpec.parseNetwork("12x3", "gru:4:seq,lstm:5:seq,dense:2");
    assertEquals(
        List.of(
            FeatureShape.sequence(12, 4),
            FeatureShape.sequence(12, 5),
            FeatureShape.flat(60),
            FeatureShape.flat(2)),
        stacked.outputShapes(),
        "a Dense layer after a sequence flattens it");
    assertEquals(
        stacked, ModelSpec.parseNetwork(stacked.input().toString(), stacked.networkText()));
  }

  @ParameterizedTest(name = "{0} over {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "lstm:8,dense:2                       | 784     | layer 0 (lstm(units=8)) needs a sequence of time steps [T, F] but receives flat features 784",
        "lstm:8,dense:2                       | 28x28x1 | receives a feature map 28x28x1",
        "conv:4x3,lstm:8,dense:2              | 28x28   | needs a feature map HxWxC but receives a sequence 28x28 (time steps x features)",
        "lstm:8:seq,dropout(standard),dense:2 | 28x28   | a dropout layer acts on one vector or feature map per example",
      })
  void aLayerThatDoesNotFitASequenceIsRefusedSayingWhatItTakes(
      String network, String input, String expected) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ModelSpec.parseNetwork(input, network));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }

  @Test
  void aRecurrentArchitectureReadsExamplesAsTimeStepsAndPlacesDropoutAfterItsLastOutput() {
    Architecture lstm = Architecture.parse("gru:16:seq,lstm:32,dense:8");
    assertTrue(lstm.recurrent());
    assertEquals(FeatureShape.sequence(28, 28), lstm.sequenceInput(784, List.of(28, 28, 1), 0));
    assertEquals(FeatureShape.sequence(4, 196), lstm.sequenceInput(784, List.of(784), 4));
    assertEquals(FeatureShape.sequence(7, 3), lstm.sequenceInput(21, List.of(7, 3), 0));
    ModelSpec model =
        lstm.build(
            FeatureShape.sequence(28, 28),
            10,
            Activation.RELU,
            Initializer.HE_UNIFORM,
            DropoutSpec.parse("standard:p=0.3"),
            new NoDropout());
    assertEquals(
        "gru(units=16,return=seq),lstm(units=32),dropout(standard:p=0.3),dense(units=8),"
            + "dropout(standard:p=0.3),dense(units=10,activation=linear,init=glorot-uniform)",
        String.join(",", model.layers().stream().map(LayerSpec::text).toList()),
        "dropout after the LSTM's last output and the Dense layer, none between the recurrent ones");
    String[][] refused = {
      {"5", "784", "does not divide the 784 values of an example into equal time steps"},
      {"0", "784", "their recurrent layers need sequences, and the data's examples are flat"},
      {"-2", "784", "sequence -2: must be >= 1 time step"},
    };
    for (String[] r : refused) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  lstm.sequenceInput(
                      Integer.parseInt(r[1]),
                      List.of(Integer.parseInt(r[1])),
                      Integer.parseInt(r[0])));
      assertTrue(e.getMessage().contains(r[2]), e.getMessage());
    }
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> Architecture.parse("64").checkSequence(28));
    assertTrue(
        e.getMessage().contains("sequence 28")
            && e.getMessage().contains("the layers 64 have none (add e.g. lstm:128)"),
        e.getMessage());
  }

  @Test
  void anUnbalancedParenthesisInANetworkIsRefusedWithItsColumn() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ModelSpec.parseNetwork("784", "dense:8,dropout(standard:p=0.5,dense:10"));
    assertTrue(e.getMessage().contains("'(' at column 16"), e.getMessage());
  }
}
