package dev.dropwise.importance;

import java.util.ArrayList;
import java.util.List;

/**
 * A ReLU network in float64 written as plain matrices, the reference the input-relevance tests
 * compare the graph ops with: each layer an affine map {@code a W + b} (a convolution unrolled into
 * its matrix, a BatchNorm folded in) or a max pooling (each output reads one input, its window's
 * maximum). Every LRP rule is written here from its contributions {@code a_i w_ij}, not from the
 * matrix form the ops use.
 */
final class MatrixNet {
  /** One layer. */
  sealed interface Layer permits Affine, Pool {}

  /** {@code relu?(a W + b)}. */
  record Affine(double[][] w, double[] b, boolean relu) implements Layer {}

  /** Max pooling of an NHWC-flattened {@code side x side x channels} map in windows of size. */
  record Pool(int side, int channels, int size) implements Layer {
    int outputs() {
      return (side / size) * (side / size) * channels;
    }

    /** For each output, the input position of its window's maximum in {@code a}. */
    int[] winners(double[] a) {
      int out = side / size;
      int[] w = new int[outputs()];
      for (int i = 0; i < out; i++) {
        for (int j = 0; j < out; j++) {
          for (int c = 0; c < channels; c++) {
            int best = -1;
            for (int di = 0; di < size; di++) {
              for (int dj = 0; dj < size; dj++) {
                int q = ((i * size + di) * side + j * size + dj) * channels + c;
                if (best < 0 || a[q] > a[best]) {
                  best = q;
                }
              }
            }
            w[(i * out + j) * channels + c] = best;
          }
        }
      }
      return w;
    }
  }

  /** A rule as the tests name it: eps, zplus, alpha2beta1, gamma, zbox (bounds per input), flat. */
  record Rule(String name, double epsilon, double gamma, double[] low, double[] high) {}

  final List<Layer> layers;

  MatrixNet(List<Layer> layers) {
    this.layers = List.copyOf(layers);
  }

  /** The input of every layer and, last, the logits. */
  List<double[]> forward(double[] x) {
    List<double[]> a = new ArrayList<>(List.of(x));
    for (Layer layer : layers) {
      double[] in = a.get(a.size() - 1);
      if (layer instanceof Affine f) {
        double[] out = f.b().clone();
        for (int i = 0; i < in.length; i++) {
          for (int j = 0; j < out.length; j++) {
            out[j] += in[i] * f.w()[i][j];
          }
        }
        if (f.relu()) {
          for (int j = 0; j < out.length; j++) {
            out[j] = Math.max(0, out[j]);
          }
        }
        a.add(out);
      } else if (layer instanceof Pool p) {
        int[] winners = p.winners(in);
        double[] out = new double[winners.length];
        for (int k = 0; k < out.length; k++) {
          out[k] = in[winners[k]];
        }
        a.add(out);
      }
    }
    return a;
  }

  double[] logits(double[] x) {
    List<double[]> a = forward(x);
    return a.get(a.size() - 1);
  }

  /** {@code ∂y_c/∂x} by the chain rule, layer by layer. */
  double[] gradient(double[] x, int c) {
    return gradientAt(x, c, 0);
  }

  /** {@code ∂y_c/∂a}, a the input of layer {@code at} ({@link #forward}'s element {@code at}). */
  double[] gradientAt(double[] x, int c, int at) {
    List<double[]> a = forward(x);
    double[] g = new double[a.get(a.size() - 1).length];
    g[c] = 1;
    for (int l = layers.size() - 1; l >= at; l--) {
      double[] in = a.get(l);
      double[] out = a.get(l + 1);
      double[] down = new double[in.length];
      if (layers.get(l) instanceof Affine f) {
        for (int j = 0; j < out.length; j++) {
          double gj = f.relu() && out[j] <= 0 ? 0 : g[j];
          for (int i = 0; i < in.length; i++) {
            down[i] += f.w()[i][j] * gj;
          }
        }
      } else {
        int[] winners = ((Pool) layers.get(l)).winners(in);
        for (int k = 0; k < winners.length; k++) {
          down[winners[k]] += g[k];
        }
      }
      g = down;
    }
    return g;
  }

  /** LRP of class {@code c} down to the input, layer l's rule {@code rules.get(l)}. */
  double[] lrp(double[] x, int c, List<Rule> rules) {
    List<double[]> a = forward(x);
    double[] r = new double[a.get(a.size() - 1).length];
    r[c] = a.get(a.size() - 1)[c];
    for (int l = layers.size() - 1; l >= 0; l--) {
      double[] in = a.get(l);
      double[] down = new double[in.length];
      if (layers.get(l) instanceof Affine f) {
        for (int j = 0; j < f.b().length; j++) {
          double[] share = shares(in, f, j, rules.get(l));
          for (int i = 0; i < in.length; i++) {
            down[i] += share[i] * r[j];
          }
        }
      } else {
        int[] winners = ((Pool) layers.get(l)).winners(in);
        for (int k = 0; k < winners.length; k++) {
          down[winners[k]] += r[k];
        }
      }
      r = down;
    }
    return r;
  }

  /** The share of output j's relevance each input i gets under {@code rule}. */
  private static double[] shares(double[] a, Affine f, int j, Rule rule) {
    int n = a.length;
    double[] share = new double[n];
    double[] contribution = new double[n];
    double total;
    switch (rule.name()) {
      case "eps", "gamma" -> {
        double boost = rule.name().equals("gamma") ? rule.gamma() : 0;
        total = f.b()[j] + boost * Math.max(0, f.b()[j]);
        for (int i = 0; i < n; i++) {
          double w = f.w()[i][j] + boost * Math.max(0, f.w()[i][j]);
          contribution[i] = a[i] * w;
          total += contribution[i];
        }
        total += rule.epsilon() * (total >= 0 ? 1 : -1);
      }
      case "zplus", "alpha2beta1" -> {
        double alpha = rule.name().equals("zplus") ? 1 : 2;
        double beta = alpha - 1;
        double pos = 0;
        double neg = 0;
        for (int i = 0; i < n; i++) {
          double z = a[i] * f.w()[i][j];
          pos += Math.max(0, z);
          neg += Math.min(0, z);
        }
        for (int i = 0; i < n; i++) {
          double z = a[i] * f.w()[i][j];
          share[i] =
              (pos > 0 ? alpha * Math.max(0, z) / pos : 0)
                  - (neg < 0 ? beta * Math.min(0, z) / neg : 0);
        }
        return share;
      }
      case "zbox" -> {
        total = 0;
        for (int i = 0; i < n; i++) {
          double w = f.w()[i][j];
          contribution[i] = a[i] * w - (w > 0 ? rule.low()[i] * w : rule.high()[i] * w);
          total += contribution[i];
        }
        total += rule.epsilon() * (total >= 0 ? 1 : -1);
      }
      case "flat" -> {
        total = 0;
        for (int i = 0; i < n; i++) {
          contribution[i] = f.w()[i][j] != 0 ? 1 : 0; // connected: an unrolled conv has zeros
          total += contribution[i];
        }
      }
      default -> throw new IllegalArgumentException(rule.name());
    }
    for (int i = 0; i < n; i++) {
      share[i] = total == 0 ? 0 : contribution[i] / total;
    }
    return share;
  }
}
