package dev.rtm.host.sink;

/**
 * A table the sink writes, declared once: its name, columns and key, and (in the subclass) how one
 * row becomes a row of a binary COPY batch ({@link CopyBuffer}). Each table is a small subclass beside its siblings,
 * {@link MetricsTable}, {@link ScoresTable}, {@link ForecastsTable}, {@link AlertsTable} and
 * {@link AlertEventsTable}, matching its {@code CREATE TABLE} in {@code sql/init.sql}; adding a table
 * adds one such class and does not touch {@link PostgresSink}. Every non-key column is updated when a
 * replayed row meets its stored self.
 *
 * <p>A subclass appends its fields straight into the batch's buffer (no reflection, no boxing, no
 * text formatting): it is called once per row.
 *
 * @param <T> the row type
 */
public abstract class CopyTable<T> implements PostgresTable<T> {

    private static final long serialVersionUID = 1L;

    private final String name;
    private final String columns;
    private final String key;
    private final String newestFirst;

    /**
     * @param name the table
     * @param columns column list, in COPY order
     * @param key primary key columns (the upsert conflict target)
     * @param newestFirst for tables whose rows change, the ORDER BY that puts a key's newest version
     *        first; null when a key's rows are replays of one another
     */
    protected CopyTable(String name, String columns, String key, String newestFirst) {
        this.name = name;
        this.columns = columns;
        this.key = key;
        this.newestFirst = newestFirst;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final String columns() {
        return columns;
    }

    @Override
    public final String key() {
        return key;
    }

    @Override
    public final String newestFirst() {
        return newestFirst;
    }
}
