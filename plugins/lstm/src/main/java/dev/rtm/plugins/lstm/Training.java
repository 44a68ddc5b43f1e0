package dev.rtm.plugins.lstm;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.recurrent.LSTM;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * One retrain: a few epochs of Adam on every (lookback → next value) pair of the window, starting
 * from the current weights, with the batch order drawn from a seeded generator. Same inputs, same
 * result: PyTorch runs with a fixed number of threads and no random layers.
 */
final class Training {

    /**
     * Every training in the JVM runs on this one thread: DJL's PyTorch engine allows one gradient
     * collector per JVM at a time, and PyTorch's intra-op thread count is per OS thread, so one
     * thread with a fixed count makes results bit-identical however many series, instances and
     * callers there are. The queue is bounded: when it is full, submitters wait (back-pressure).
     */
    private static final ThreadPoolExecutor TRAINER = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(1024), r -> {
                Thread t = new Thread(r, "rtm-lstm-training");
                t.setDaemon(true);
                return t;
            }, (job, pool) -> {
                try {
                    pool.getQueue().put(job);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new RejectedExecutionException("interrupted while waiting to queue an lstm training", e);
                }
            });

    /** The LSTM's output at the last time step, parsed once (DJL parses an index string on every call). */
    private static final NDIndex LAST_STEP = new NDIndex(":, -1, :");

    private Training() {
    }

    /**
     * The network's input for the {@code lookback} values ending at {@code end} (exclusive):
     * each value minus the last one, over {@code scale}. The network forecasts the next value the
     * same way, so it learns changes, not levels: a level it never saw cannot saturate it.
     */
    static void anchored(double[] values, int end, int lookback, double scale, double[] out) {
        double anchor = values[end - 1];
        for (int t = 0; t < lookback; t++) {
            out[t] = (values[end - lookback + t] - anchor) / scale;
        }
    }

    /** What a training gives: the weights and their in-sample error, in units of the window's scale. */
    record Result(LstmWeights weights, double sigma) {
    }

    /**
     * Queues a training on the JVM's training thread. The in-sample error is computed there too,
     * so with {@code async} it costs the scoring thread nothing.
     */
    static Future<Result> submit(LstmConfig cfg, LstmWeights start, double[] norm, long seed) {
        Djl.engine(cfg.threads());
        return TRAINER.submit(() -> run(cfg, start, norm, seed));
    }

    /**
     * RMS one-step error of {@code w} over every (lookback → next) pair of {@code norm}, one Java
     * forward pass per pair: what the training computes in one batched PyTorch pass (see
     * {@link #train}); tests compare the two.
     */
    static double inSampleSigma(int lookback, LstmWeights w, double[] norm) {
        double ss = 0;
        double[] seq = new double[lookback];
        for (int s = 0; s + lookback < norm.length; s++) {
            anchored(norm, s + lookback, lookback, 1.0, seq);
            double e = norm[s + lookback] - (norm[s + lookback - 1] + w.forward(seq));
            ss += e * e;
        }
        return Math.sqrt(ss / Math.max(1, norm.length - lookback));
    }

    /**
     * @param start weights to start from
     * @param norm the window divided by its scale, oldest first (anchoring happens per sample)
     * @param seed seed for the batch order
     */
    private static Result run(LstmConfig cfg, LstmWeights start, double[] norm, long seed) {
        return Djl.call(() -> {
            JniUtils.setNumThreads(cfg.threads());
            return train(cfg, start, norm, seed);
        });
    }

    private static SequentialBlock block(LstmConfig cfg) {
        return new SequentialBlock()
                .add(LSTM.builder().setStateSize(cfg.units()).setNumLayers(cfg.layers())
                        .optBatchFirst(true).optReturnState(false).build())
                .add(l -> new NDList(l.singletonOrThrow().get(LAST_STEP)))
                .add(Linear.builder().setUnits(1).build());
    }

    private static Result train(LstmConfig cfg, LstmWeights start, double[] norm, long seed) {
        int lookback = cfg.lookback();
        int samples = norm.length - lookback;
        try (Model model = Model.newInstance("lstm", "PyTorch")) {
            SequentialBlock block = block(cfg);
            model.setBlock(block);
            DefaultTrainingConfig tc = new DefaultTrainingConfig(Loss.l2Loss()); // its optimizer unused: see Adam
            try (Trainer trainer = model.newTrainer(tc)) {
                trainer.initialize(new Shape(1, lookback, 1));
                List<Parameter> params = parameters(block);
                for (int i = 0; i < params.size(); i++) {
                    params.get(i).getArray().set(start.params.get(i));
                }
                // every sample once: its anchored input (row s of allX) and the change after it (allY[s])
                float[] allX = new float[samples * lookback];
                float[] allY = new float[samples];
                double[] seq = new double[lookback];
                for (int s = 0; s < samples; s++) {
                    anchored(norm, s + lookback, lookback, 1.0, seq);
                    for (int t = 0; t < lookback; t++) {
                        allX[s * lookback + t] = (float) seq[t];
                    }
                    allY[s] = (float) (norm[s + lookback] - norm[s + lookback - 1]);
                }
                Random rnd = new Random(seed);
                int[] order = new int[samples];
                for (int i = 0; i < samples; i++) {
                    order[i] = i;
                }
                NDManager nd = model.getNDManager();
                Adam adam = new Adam((float) cfg.learningRate(), start.params);
                ZeroStates zeros = new ZeroStates(nd, cfg);
                for (int epoch = 0; epoch < cfg.epochs(); epoch++) {
                    for (int i = samples - 1; i > 0; i--) {
                        int j = rnd.nextInt(i + 1);
                        int tmp = order[i];
                        order[i] = order[j];
                        order[j] = tmp;
                    }
                    for (int from = 0; from < samples; from += cfg.batchSize()) {
                        int b = Math.min(cfg.batchSize(), samples - from);
                        float[] x = new float[b * lookback];
                        float[] y = new float[b];
                        for (int k = 0; k < b; k++) {
                            int sample = order[from + k];
                            System.arraycopy(allX, sample * lookback, x, k * lookback, lookback);
                            y[k] = allY[sample];
                        }
                        try (NDManager batch = nd.newSubManager()) {
                            NDArray xa = batch.create(x, new Shape(b, lookback, 1));
                            NDArray ya = batch.create(y, new Shape(b, 1));
                            try (GradientCollector gc = trainer.newGradientCollector()) {
                                NDArray pred = trainer.forward(zeros.with(xa)).singletonOrThrow();
                                NDArray loss = trainer.getLoss().evaluate(new NDList(ya), new NDList(pred));
                                gc.backward(loss);
                            }
                            adam.step(params);
                        }
                    }
                }
                List<float[]> out = adam.weights();
                return new Result(new LstmWeights(cfg.units(), cfg.layers(), out), inSampleSigma(trainer, zeros, allX, allY, lookback));
            }
        }
    }

    /**
     * The in-sample error of the trained network: every sample in one batched forward pass, with
     * gradients recorded so PyTorch runs the same (reference) kernel as training and as
     * {@link #djlForward} (see there why not the inference kernel). One native call instead of a
     * Java forward pass per sample, which was a fifth of lstm's time; it agrees with
     * {@link #inSampleSigma(int, LstmWeights, double[])} to float precision (tested).
     */
    private static double inSampleSigma(Trainer trainer, ZeroStates zeros, float[] x, float[] y, int lookback) {
        int samples = y.length;
        try (NDManager batch = trainer.getManager().newSubManager();
                GradientCollector gc = trainer.newGradientCollector()) {
            float[] pred = trainer.forward(zeros.with(batch.create(x, new Shape(samples, lookback, 1))))
                    .singletonOrThrow().toFloatArray();
            double ss = 0;
            for (int k = 0; k < samples; k++) {
                double e = (double) y[k] - pred[k];
                ss += e * e;
            }
            return Math.sqrt(ss / Math.max(1, samples));
        }
    }

    /**
     * The LSTM's initial hidden and cell states (zeros), made once per batch size for a whole
     * training: DJL's LSTM block makes two new zero tensors on every call otherwise (two native
     * calls, and two deletions, per step, for the same values).
     */
    private static final class ZeroStates {
        private final NDManager nd;
        private final LstmConfig cfg;
        private final java.util.Map<Long, NDList> bySize = new java.util.HashMap<>();

        ZeroStates(NDManager nd, LstmConfig cfg) {
            this.nd = nd;
            this.cfg = cfg;
        }

        /** {@code x} with the zero states of its batch size, as the LSTM block takes them. */
        NDList with(NDArray x) {
            NDList states = bySize.computeIfAbsent(x.getShape().get(0), b -> {
                Shape shape = new Shape(cfg.layers(), b, cfg.units());
                return new NDList(nd.zeros(shape), nd.zeros(shape));
            });
            return new NDList(x, states.get(0), states.get(1));
        }
    }

    /**
     * Adam as DJL's optimizer does it (MXNet's form, DJL's defaults β1 0.9, β2 0.999, ε 1e-8, no
     * weight decay or clipping): m ← β1·m + (1 − β1)·g, v ← β2·v + (1 − β2)·g², w ← w − lr·√(1 − β2ᵗ)/(1 − β1ᵗ)
     * · m / (√v + ε), in float; but in Java, on the gradients copied out, with the weights written
     * back: DJL's update made about ten PyTorch calls per parameter array per step (0.2 ms a step
     * over the six arrays, a tenth of a training). A step whose gradients are all zero (a flat
     * series) leaves the weights as they are.
     */
    private static final class Adam {
        private static final float B1 = 0.9f;
        private static final float B2 = 0.999f;
        private static final float EPS = 1e-8f;
        private final float lr;
        private final float[][] w;
        private final float[][] m;
        private final float[][] v;
        private int t;

        Adam(float lr, List<float[]> start) {
            this.lr = lr;
            int n = start.size();
            w = new float[n][];
            m = new float[n][];
            v = new float[n][];
            for (int i = 0; i < n; i++) {
                w[i] = start.get(i).clone();
                m[i] = new float[w[i].length];
                v[i] = new float[w[i].length];
            }
        }

        void step(List<Parameter> params) {
            t++;
            float rate = (float) (lr * Math.sqrt(1.0 - Math.pow(B2, t)) / (1.0 - Math.pow(B1, t)));
            for (int i = 0; i < params.size(); i++) {
                NDArray array = params.get(i).getArray();
                float[] g;
                try (NDArray grad = array.getGradient()) {
                    g = grad.toFloatArray();
                }
                float[] wi = w[i];
                float[] mi = m[i];
                float[] vi = v[i];
                for (int k = 0; k < wi.length; k++) {
                    float gk = g[k];
                    mi[k] = B1 * mi[k] + (1 - B1) * gk;
                    vi[k] = B2 * vi[k] + (1 - B2) * gk * gk;
                    wi[k] -= rate * mi[k] / ((float) Math.sqrt(vi[k]) + EPS);
                }
                array.set(wi);
                JniUtils.zeroGrad((ai.djl.pytorch.engine.PtNDArray) array);
            }
        }

        /** Copies of the weights now. */
        List<float[]> weights() {
            List<float[]> out = new ArrayList<>();
            for (float[] wi : w) {
                out.add(wi.clone());
            }
            return out;
        }
    }

    /**
     * DJL's forward pass of the same network as training computes it, for checking the Java one.
     *
     * <p>It records gradients in training mode on purpose, as a training step does, because that is
     * the function the copied-out weights were fitted to. Without gradients PyTorch 2.7.1 runs the
     * LSTM through oneDNN 3.7.1's {@code brgemm:avx512_core} inference kernel, which on the CI
     * machine's AVX-512 CPU (AMD EPYC) is wrong for state sizes up to 16 (off by up to 0.08, where the
     * LSTM equations, oneDNN's reference kernel and its AVX2 kernel agree to 1e-7); with gradients
     * it runs oneDNN's reference kernel, as training does. The network has no dropout or
     * normalisation, so training mode changes nothing else. It runs on the training thread, like
     * every other PyTorch call of the plugin, so a check never overlaps a training in native code.
     */
    static double djlForward(LstmConfig cfg, LstmWeights w, double[] seq) {
        Djl.engine(cfg.threads());
        try {
            return TRAINER.submit(() -> forwardHere(cfg, w, seq)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the training thread", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
        }
    }

    private static double forwardHere(LstmConfig cfg, LstmWeights w, double[] seq) {
        return Djl.call(() -> {
            JniUtils.setNumThreads(cfg.threads());
            try (Model model = Model.newInstance("lstm-check", "PyTorch")) {
                SequentialBlock block = block(cfg);
                block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, seq.length, 1));
                List<Parameter> params = parameters(block);
                for (int i = 0; i < params.size(); i++) {
                    params.get(i).getArray().set(w.params.get(i));
                }
                float[] x = new float[seq.length];
                for (int i = 0; i < x.length; i++) {
                    x[i] = (float) seq[i];
                }
                NDArray in = model.getNDManager().create(x, new Shape(1, seq.length, 1));
                boolean gradMode = JniUtils.isGradMode(); // thread-local in PyTorch
                JniUtils.setGradMode(true);
                try {
                    NDList out = block.forward(new ParameterStore(model.getNDManager(), false), new NDList(in), true);
                    return (double) out.singletonOrThrow().toFloatArray()[0];
                } finally {
                    JniUtils.setGradMode(gradMode);
                }
            }
        });
    }

    private static List<Parameter> parameters(SequentialBlock block) {
        List<Parameter> ps = new ArrayList<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            ps.add(p.getValue());
        }
        return ps;
    }
}
