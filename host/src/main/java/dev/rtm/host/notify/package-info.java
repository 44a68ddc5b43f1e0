/**
 * Notify: turns series alert transitions ({@code alert_events}) into notifications that reach
 * people through alerter plugins, as Alertmanager does for Prometheus.
 *
 * <pre>
 *   alert_events ─▶ {@link dev.rtm.host.notify.Grouper} (silences, groups, group-wait / -interval / repeat)
 *                       └─▶ notifications (the outbox, one row per channel) ─▶ {@link dev.rtm.host.notify.Dispatcher}
 *                                ─▶ {@link dev.rtm.host.notify.Channel} (rate limit, circuit breaker, time limit) ─▶ Alerter plugin
 * </pre>
 *
 * All of its state is in PostgreSQL, changed in transactions, so a restart loses and repeats
 * nothing, and it runs beside scoring (its own thread and connection): a slow or hanging channel
 * never holds the detect stage up.
 */
package dev.rtm.host.notify;
