package dev.rtm.plugins.lstm;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The weights of the network, in DJL's parameter order: per layer {@code i2h W (4H×in)},
 * {@code h2h W (4H×H)}, {@code i2h b (4H)}, {@code h2h b (4H)}; then the dense layer
 * {@code W (1×H)}, {@code b (1)}. Gate order within 4H is PyTorch's: input, forget, cell, output.
 *
 * <p>Inference runs here, in plain Java, so scoring a point costs no native call and is
 * bit-for-bit repeatable; a test checks it equals DJL's forward pass.
 */
final class LstmWeights {

    final int units;
    final int layers;
    final List<float[]> params;

    LstmWeights(int units, int layers, List<float[]> params) {
        this.units = units;
        this.layers = layers;
        this.params = params;
        if (params.size() != 4 * layers + 2) {
            throw new IllegalArgumentException("expected " + (4 * layers + 2) + " parameter arrays, got " + params.size());
        }
    }

    /** Xavier-uniform weights, zero biases except forget gates at 1, from a seeded generator. */
    static LstmWeights init(int units, int layers, long seed) {
        Random rnd = new Random(seed);
        List<float[]> ps = new ArrayList<>();
        int h = units;
        for (int l = 0; l < layers; l++) {
            int in = l == 0 ? 1 : h;
            ps.add(uniform(rnd, 4 * h * in, Math.sqrt(6.0 / (in + 4 * h))));
            ps.add(uniform(rnd, 4 * h * h, Math.sqrt(6.0 / (h + 4 * h))));
            float[] bi = new float[4 * h];
            for (int k = h; k < 2 * h; k++) {
                bi[k] = 1f;
            }
            ps.add(bi);
            ps.add(new float[4 * h]);
        }
        ps.add(uniform(rnd, h, Math.sqrt(6.0 / (h + 1))));
        ps.add(new float[1]);
        return new LstmWeights(units, layers, ps);
    }

    private static float[] uniform(Random rnd, int n, double limit) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) ((rnd.nextDouble() * 2 - 1) * limit);
        }
        return a;
    }

    /** Shape of parameter {@code i}, as DJL declares it. */
    long[] shape(int i) {
        int h = units;
        if (i >= 4 * layers) {
            return i == 4 * layers ? new long[] {1, h} : new long[] {1};
        }
        int l = i / 4;
        return switch (i % 4) {
            case 0 -> new long[] {4L * h, l == 0 ? 1 : h};
            case 1 -> new long[] {4L * h, h};
            default -> new long[] {4L * h};
        };
    }

    /** The network's output for one input sequence (normalised values, oldest first). */
    double forward(double[] seq) {
        int h = units;
        double[] input = null;
        double[] hs = null;
        double[] gates = new double[4 * h];
        for (int l = 0; l < layers; l++) {
            float[] wih = params.get(4 * l);
            float[] whh = params.get(4 * l + 1);
            float[] bih = params.get(4 * l + 2);
            float[] bhh = params.get(4 * l + 3);
            int in = l == 0 ? 1 : h;
            double[] hPrev = new double[h];
            double[] c = new double[h];
            double[] outSeq = new double[seq.length * h];
            for (int t = 0; t < seq.length; t++) {
                for (int g = 0; g < 4 * h; g++) {
                    double s = bih[g] + bhh[g];
                    int wi = g * in;
                    if (l == 0) {
                        s += wih[wi] * seq[t];
                    } else {
                        for (int k = 0; k < in; k++) {
                            s += wih[wi + k] * input[t * h + k];
                        }
                    }
                    int wh = g * h;
                    for (int k = 0; k < h; k++) {
                        s += whh[wh + k] * hPrev[k];
                    }
                    gates[g] = s;
                }
                for (int k = 0; k < h; k++) {
                    double ig = sigmoid(gates[k]);
                    double fg = sigmoid(gates[h + k]);
                    double gg = Math.tanh(gates[2 * h + k]);
                    double og = sigmoid(gates[3 * h + k]);
                    c[k] = fg * c[k] + ig * gg;
                    hPrev[k] = og * Math.tanh(c[k]);
                    outSeq[t * h + k] = hPrev[k];
                }
            }
            input = outSeq;
            hs = hPrev;
        }
        float[] w = params.get(4 * layers);
        double y = params.get(4 * layers + 1)[0];
        for (int k = 0; k < h; k++) {
            y += w[k] * hs[k];
        }
        return y;
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    /** Number of weights. */
    int count() {
        return params.stream().mapToInt(a -> a.length).sum();
    }
}
