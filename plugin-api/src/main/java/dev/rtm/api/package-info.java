/**
 * The rtm plugin API: the whole contract between the rtm host and its plugins.
 *
 * <h2>Two extension points</h2>
 * <ul>
 *   <li>{@link dev.rtm.api.DetectorFactory}: an anomaly detector ("model"). The host gives it
 *       its config section, gets a {@link dev.rtm.api.Detector}, and from that one
 *       {@link dev.rtm.api.SeriesDetector} per series (host, metric). Every point of the series
 *       goes through {@link dev.rtm.api.SeriesDetector#update}, which returns an
 *       {@link dev.rtm.api.Assessment}: what the model expected, its band, a score in sigmas and
 *       the anomaly flag.</li>
 *   <li>{@link dev.rtm.api.AlerterFactory}: delivers {@link dev.rtm.api.Notification}s (groups of {@link dev.rtm.api.Alert} transitions)
 *       (firing, resolved) somewhere (Slack, PagerDuty, ...). Retries, backoff and rate limits
 *       belong to the host.</li>
 * </ul>
 *
 * <h2>Lifecycle</h2>
 * <ol>
 *   <li>The host discovers factories in plugin files (PF4J, one class loader per plugin; the
 *       classes of this package always come from the host).</li>
 *   <li>At start-up it validates each configured section against the factory's
 *       {@link dev.rtm.api.ConfigSpec}; a bad value stops start-up with a message naming the key.</li>
 *   <li>It calls {@code create(settings)} once per configured instance, then asks the instance
 *       for per-series objects as series appear, restoring them from bytes after a restart.</li>
 *   <li>On shut-down it calls {@code close()}.</li>
 * </ol>
 *
 * <h2>Rules for plugins</h2>
 * A plugin never sees Flink, Kafka or JDBC. It must not download anything at run time, must not
 * keep global mutable state shared between series (except read-only resources such as native
 * libraries), and should throw only the exceptions documented here; the host isolates a plugin
 * that throws anything else.
 *
 * <p>This package depends on nothing but PF4J's {@code ExtensionPoint} and {@code Extension}.
 */
package dev.rtm.api;
