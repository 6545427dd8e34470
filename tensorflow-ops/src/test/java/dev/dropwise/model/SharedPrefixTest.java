package dev.dropwise.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dropwise.data.Dataset;
import dev.dropwise.dropout.DropoutSpec;
import dev.dropwise.export.SavedModelExport;
import dev.dropwise.export.ServingModel;
import dev.dropwise.network.Activation;
import dev.dropwise.network.FeatureShape;
import dev.dropwise.network.Initializer;
import dev.dropwise.testing.TestSupport;
import dev.dropwise.train.ModelSession;
import dev.dropwise.train.OptimizerSpec;
import dev.dropwise.train.RunSeeds;
import dev.dropwise.util.Tensors;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * The Monte Carlo signatures compute the network before the first dropout layer once and share it
 * between passes: each pass is still, bit for bit, the whole network with dropout on from the
 * input, built here as a graph of its own with the export's weights and the same seeds.
 */
class SharedPrefixTest {
  @TempDir Path dir;

  @Test
  void sharedPassesAreTheWholeNetworksPassesBitForBit() throws Exception {
    // Convolution, BatchNorm, pooling and a Dense layer before the first dropout layer.
    ModelSpec spec =
        Architecture.parse("conv:4x3,bn,pool:2,flatten,32,16")
            .build(
                FeatureShape.map(28, 28, 1),
                10,
                Activation.RELU,
                Initializer.HE_UNIFORM,
                DropoutSpec.parse("standard:p=0.3"),
                DropoutSpec.parse("none"));
    Path export = dir.resolve("model");
    try (ModelSession session =
        new ModelSession(spec, new OptimizerSpec.Sgd(0.01f), RunSeeds.from(3))) {
      SavedModelExport.export(session, export);
    }
    Dataset test = TestSupport.embedded().test().head(30);
    int n = test.size() * 10;
    try (SavedModelBundle bundle = SavedModelBundle.load(export.toString(), "serve");
        Graph graph = new Graph();
        Session session = new Session(graph);
        TFloat32 in =
            TFloat32.tensorOf(
                Shape.of(test.size(), spec.inputs()), DataBuffers.of(test.features()));
        TInt64 first = TInt64.scalarOf(0L);
        Result ten =
            bundle
                .function(SavedModelExport.MC_PASSES_SIGNATURE)
                .call(Map.of(ServingGraph.INPUT, in, "seed", first))) {
      float[] batched =
          Tensors.toArray((TFloat32) ten.get(ServingGraph.PROBABILITIES).orElseThrow());
      Ops tf = Ops.create(graph);
      WeightStore weights = WeightStore.declared(tf, spec);
      Placeholder<TFloat32> x =
          tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, spec.inputs())));
      Placeholder<TInt64> seed = tf.placeholder(TInt64.class);
      Operand<TFloat32> probabilities =
          tf.nn.softmax(
              ForwardWithDropout.logits(
                  tf,
                  spec,
                  weights.network(),
                  x,
                  new ForwardWithDropout.Pass(
                      tf.constant(true),
                      false,
                      0,
                      seed,
                      tf.constant(0L),
                      tf.constant(1f),
                      null,
                      new ArrayList<>(),
                      null,
                      null,
                      null,
                      null)));
      try (ServingModel serving = ServingModel.load(export)) {
        weights.assign(session, serving::variable);
      }
      for (long k = 0; k < ServingGraph.MC_PASSES; k++) {
        try (TInt64 s = TInt64.scalarOf(k);
            Result whole = session.runner().feed(x, in).feed(seed, s).fetch(probabilities).run();
            Result one =
                bundle
                    .function(SavedModelExport.MC_SIGNATURE)
                    .call(Map.of(ServingGraph.INPUT, in, "seed", s))) {
          float[] expected = Tensors.toArray((TFloat32) whole.get(0));
          assertArrayEquals(
              expected,
              Tensors.toArray((TFloat32) one.get(ServingGraph.PROBABILITIES).orElseThrow()),
              "mc_dropout, seed " + k);
          assertArrayEquals(
              expected,
              Arrays.copyOfRange(batched, (int) k * n, (int) (k + 1) * n),
              "mc_dropout_passes, pass " + k);
        }
      }
      assertEquals(ServingGraph.MC_PASSES * n, batched.length);
    }
  }
}
