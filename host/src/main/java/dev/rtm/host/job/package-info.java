/** The streaming job: how source, decode, detect, sinks, alert and notify are wired together. */
package dev.rtm.host.job;
