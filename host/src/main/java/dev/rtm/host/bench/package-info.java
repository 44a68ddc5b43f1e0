/** Measuring the pipeline end to end ({@code rtm bench}), next to a baseline taken in the same run. */
package dev.rtm.host.bench;
