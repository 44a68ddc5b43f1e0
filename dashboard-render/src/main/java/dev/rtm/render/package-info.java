/**
 * A Grafana dashboard drawn without Grafana: {@link dev.rtm.render.DashboardRenderer} reads the
 * dashboard JSON, resolves its variables ({@link dev.rtm.render.TemplateVariables}), places its
 * panels on the grid ({@link dev.rtm.render.GridLayout}), expands and runs each panel's SQL
 * ({@link dev.rtm.render.GrafanaSql}, {@link dev.rtm.render.QueryResult}) and draws the rows by
 * panel type ({@link dev.rtm.render.TimeSeriesPanel}, {@link dev.rtm.render.BarChartPanel},
 * {@link dev.rtm.render.BarGaugePanel}, {@link dev.rtm.render.TablePanel}).
 */
package dev.rtm.render;
