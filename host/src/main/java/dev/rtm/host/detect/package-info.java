/**
 * Detection: which configured detectors run on which series, and running them over points with
 * every plugin call isolated, so one failing detector never stops the others.
 */
package dev.rtm.host.detect;
