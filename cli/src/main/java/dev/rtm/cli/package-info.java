/** The {@code rtm} command line: one class per subcommand, errors printed without stack traces. */
package dev.rtm.cli;
