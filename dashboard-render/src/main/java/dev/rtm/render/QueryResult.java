package dev.rtm.render;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

/**
 * A query's result as a panel reads it: column names, SQL types, and rows of Java values.
 *
 * @param names column labels
 * @param types {@link java.sql.Types} of each column
 * @param rows one array per row, a value per column
 */
record QueryResult(List<String> names, List<Integer> types, List<Object[]> rows) {

    /** Runs {@code sql} and keeps every row. */
    static QueryResult run(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            ResultSetMetaData md = rs.getMetaData();
            List<String> names = new ArrayList<>();
            List<Integer> types = new ArrayList<>();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                names.add(md.getColumnLabel(i));
                types.add(md.getColumnType(i));
            }
            List<Object[]> rows = new ArrayList<>();
            while (rs.next()) {
                Object[] r = new Object[names.size()];
                for (int i = 0; i < r.length; i++) {
                    r[i] = rs.getObject(i + 1);
                }
                rows.add(r);
            }
            return new QueryResult(names, types, rows);
        }
    }

    /** The first column of {@code sql}'s rows as text: a variable's values. */
    static List<String> firstColumn(Connection c, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    boolean empty() {
        return rows.isEmpty();
    }

    /** Whether column {@code i} holds numbers. */
    boolean numeric(int i) {
        return switch (types.get(i)) {
            case Types.DOUBLE, Types.FLOAT, Types.REAL, Types.NUMERIC, Types.DECIMAL, Types.INTEGER, Types.BIGINT, Types.SMALLINT -> true;
            default -> false;
        };
    }

    /** The last numeric column, or -1. */
    int lastNumeric() {
        for (int i = names.size() - 1; i >= 0; i--) {
            if (numeric(i)) {
                return i;
            }
        }
        return -1;
    }

    /** Grafana reads a time column as a timestamp, or as epoch seconds (milliseconds when that large). */
    static long epochMillis(Object o) {
        if (o instanceof Timestamp ts) {
            return ts.getTime();
        }
        if (o instanceof java.time.OffsetDateTime odt) {
            return odt.toInstant().toEpochMilli();
        }
        double v = ((Number) o).doubleValue();
        return v > 1e11 ? (long) v : (long) (v * 1000);
    }
}
