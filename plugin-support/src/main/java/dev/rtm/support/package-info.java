/**
 * Helpers for rtm plugins that are not part of the plugin contract ({@code dev.rtm.api}): a plugin
 * may use them or not, and the host never sees them. A plugin bundles this jar in its own
 * {@code lib/}, so two plugins can carry different versions side by side.
 *
 * <ul>
 *   <li>Detectors: {@link dev.rtm.support.RingBuffer} (the newest values of a series),
 *       {@link dev.rtm.support.StepResolution} (a σ floor for flat and quantised series) and
 *       {@link dev.rtm.support.Refractory} (one flag per event), each with {@code writeTo}/
 *       {@code readFrom} for the plugin's {@code StateWriter}/{@code StateReader} state.</li>
 *   <li>Alerters: {@link dev.rtm.support.HttpSender} (one JSON POST mapped to
 *       {@code DeliveryException}), {@link dev.rtm.support.Redactor} (secrets out of every message)
 *       and {@link dev.rtm.support.RetryAfter}.</li>
 * </ul>
 */
package dev.rtm.support;
