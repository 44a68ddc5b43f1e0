/**
 * The config file ({@code rtm.yaml}): parsing, {@code ${env:...}}/{@code ${file:...}} values, and
 * validation that names the key path of every problem before anything starts.
 */
package dev.rtm.host.config;
