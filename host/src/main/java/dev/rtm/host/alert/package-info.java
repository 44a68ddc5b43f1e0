/**
 * Alert: turns each model's flags on a series into alerts that fire and resolve (the
 * {@code alerts} table), and, per series, when the rule's models agree, into alert transitions
 * ({@code alert_events}, the Kafka {@code alerts} topic). Telling people is {@code notify}'s job.
 */
package dev.rtm.host.alert;
