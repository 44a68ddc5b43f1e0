package dev.rtm.plugins.lstm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;

/**
 * A reference for the Java forward pass: the LSTM equations as PyTorch documents them for
 * {@code torch.nn.LSTM} (gates i, f, g, o stacked in that order; both biases added), evaluated
 * step by step with PyTorch tensor ops (matmul, sigmoid, tanh), so no fused LSTM kernel is involved.
 */
final class LstmEquations {

    private LstmEquations() {
    }

    static double forward(LstmWeights w, double[] seq) {
        Djl.engine(1);
        return Djl.call(() -> {
            try (NDManager nd = NDManager.newBaseManager("PyTorch")) {
                int h = w.units;
                NDArray[] xs = new NDArray[seq.length];
                for (int t = 0; t < seq.length; t++) {
                    xs[t] = nd.create(new float[] {(float) seq[t]}, new Shape(1, 1));
                }
                NDArray hs = null;
                for (int l = 0; l < w.layers; l++) {
                    NDArray wih = nd.create(w.params.get(4 * l), new Shape(w.shape(4 * l)));
                    NDArray whh = nd.create(w.params.get(4 * l + 1), new Shape(w.shape(4 * l + 1)));
                    NDArray bih = nd.create(w.params.get(4 * l + 2));
                    NDArray bhh = nd.create(w.params.get(4 * l + 3));
                    hs = nd.zeros(new Shape(1, h));
                    NDArray c = nd.zeros(new Shape(1, h));
                    for (int t = 0; t < seq.length; t++) {
                        NDArray g = xs[t].matMul(wih.transpose()).add(bih).add(hs.matMul(whh.transpose())).add(bhh);
                        NDArray i = Activation.sigmoid(g.get(":, 0:" + h));
                        NDArray f = Activation.sigmoid(g.get(":, " + h + ":" + 2 * h));
                        NDArray gg = g.get(":, " + 2 * h + ":" + 3 * h).tanh();
                        NDArray o = Activation.sigmoid(g.get(":, " + 3 * h + ":"));
                        c = f.mul(c).add(i.mul(gg));
                        hs = o.mul(c.tanh());
                        xs[t] = hs; // the next layer's input
                    }
                }
                NDArray dense = nd.create(w.params.get(4 * w.layers), new Shape(1, h));
                NDArray y = hs.matMul(dense.transpose()).add(w.params.get(4 * w.layers + 1)[0]);
                return (double) y.toFloatArray()[0];
            }
        });
    }
}
