/**
 * Reports over replay results: the summary table, hits on NAB label windows, and plots; and the
 * image files rtm writes ({@code --plot}, {@code --score-plot}, {@code rtm render --out}).
 * Dashboards are drawn by {@code dev.rtm.render} (module {@code dashboard-render/}).
 */
package dev.rtm.cli.report;
