/**
 * Where points come from. For replay: CSV files ({@code timestamp,value}, the NAB layout
 * {@code data/<category>/<file>.csv}, or long {@code timestamp,host,metric,value}).
 */
package dev.rtm.host.source;
