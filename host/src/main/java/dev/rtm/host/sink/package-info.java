/** Where results go. For replay: a per-point CSV and NAB-layout result files. */
package dev.rtm.host.sink;
