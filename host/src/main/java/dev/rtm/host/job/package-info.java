/** The streaming job: how source, decode, detect and sinks are wired together. */
package dev.rtm.host.job;
