/**
 * Measuring the pipeline end to end ({@code rtm bench}), next to a baseline taken in the same run:
 * {@link dev.rtm.cli.bench.PipelineBench} (throughput vs COPY, latency to the row),
 * {@link dev.rtm.cli.bench.AlertingBench} (scoring with a hanging vs answering alert channel,
 * notification latency) and {@link dev.rtm.cli.bench.DashboardBench} (the Grafana queries).
 */
package dev.rtm.cli.bench;
