package dev.rtm.plugins.lstm;

/** Validated settings of one lstm instance. */
record LstmConfig(int lookback, int window, int retrainEvery, int epochs, int units, int layers, double learningRate,
                  int batchSize, double threshold, long seed, int threads, int residualWindow,
                  boolean async, double minStd, int refractory, double resolutionFloor) {
}
