/** Reports over replay results: the summary table, hits on NAB label windows, and plots. */
package dev.rtm.cli.report;
