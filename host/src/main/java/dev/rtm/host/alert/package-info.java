/**
 * Alert: turns each model's flags on a series into alerts that fire and resolve (the
 * {@code alerts} table). Delivery to alerter plugins comes with the alerting capability.
 */
package dev.rtm.host.alert;
