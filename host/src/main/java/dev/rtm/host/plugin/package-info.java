/**
 * Finding and loading plugins: PF4J with one class loader per plugin, the API always taken from
 * the host, a clear reason for every file that does not load, and the SHA-256 of every file.
 */
package dev.rtm.host.plugin;
