package dev.rtm.host.sink;

import java.io.Serializable;

/**
 * What {@link PostgresSink} needs of a table: its name, columns and key, and how a row is
 * written into a binary COPY batch.
 * The tables are {@link CopyTable}s, one class each ({@link MetricsTable}, {@link ScoresTable}, ...).
 *
 * <p>No default methods and no constants, on purpose: an interface with default methods is
 * initialised with each implementing class, and a constant holding an instance of an implementation
 * would make that a cycle, so two threads deserialising them at once (Flink 2 deserialises operators in parallel) would
 * deadlock on class initialisation. Seen on a standalone cluster; {@code ClusterJobIT} hung in the
 * JobManager.
 *
 * @param <T> the row type
 */
public interface PostgresTable<T> extends Serializable {

    /** Table name. */
    String name();

    /** Column list, in COPY order. */
    String columns();

    /** Primary key columns (the upsert conflict target); every other column is updated on conflict. */
    String key();

    /**
     * For tables whose rows change (an alert fires, then resolves): the ORDER BY that puts the newest
     * version of a key first, so a batch holding several versions keeps the newest. Null: a key's
     * rows are replays of one another.
     */
    String newestFirst();

    /**
     * Appends one row, its columns in {@link #columns()} order, to a binary COPY batch; series and
     * model ids through {@code ids} ({@link CopyBuffer#series}), which the sink resolves before the
     * batch is sent when some were new.
     */
    void append(T row, SeriesIds ids, CopyBuffer out);
}
