/**
 * The Numenta Anomaly Benchmark inside rtm: NAB result rows for every input row
 * ({@link dev.rtm.host.sink.NabSeries}) and NAB's scoring, replicated from NAB's own code (scaled
 * sigmoid window scoring, probation period, threshold optimisation over the corpus, normalisation
 * against the null detector), as used by {@code rtm replay --score}.
 */
package dev.rtm.cli.nab;
