package dev.floe;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One record batch built from plain Java arrays, for hosts without Arrow Java: {@link ArrowStream#of} turns batches
 * into an Arrow C stream (the shim copies the arrays into native memory) that {@link Warehouse#ingestArrow} and
 * {@link Features#compute} read. Columns are given in the table's order and must all have the same length; a
 * {@code valid} array (true = a value, false = null) may be null when every value is present, and null elements of
 * object arrays (String, byte[], Instant, LocalDate) are nulls. Immutable once built.
 *
 * <pre>{@code
 * ArrowBatch batch = ArrowBatch.builder()
 *         .int64("id", new long[] {1, 2})
 *         .timestampTz("ts", new Instant[] {Instant.parse("2024-01-01T00:00:00Z"), null})
 *         .float64("amount", new double[] {1.5, 0}, new boolean[] {true, false})
 *         .build();
 * }</pre>
 */
public final class ArrowBatch {
    /** One column: its Arrow C Data Interface format and buffers (validity, values or offsets, UTF-8 data). */
    static final class Column {
        final String name;
        final String format;
        final long nullCount;
        final Object[] buffers;

        Column(String name, String format, long nullCount, Object... buffers) {
            this.name = name;
            this.format = format;
            this.nullCount = nullCount;
            this.buffers = buffers;
        }
    }

    final List<Column> columns;
    final int length;

    private ArrowBatch(List<Column> columns, int length) {
        this.columns = Collections.unmodifiableList(new ArrayList<>(columns));
        this.length = length;
    }

    /** A builder of one batch. */
    public static Builder builder() {
        return new Builder();
    }

    /** The number of rows. */
    public int length() {
        return length;
    }

    /** The column names, in order. */
    public List<String> names() {
        List<String> out = new ArrayList<>(columns.size());
        for (Column c : columns) {
            out.add(c.name);
        }
        return out;
    }

    /** The columns' Arrow formats, in order ("l", "g", "u", "tsu:UTC", ...). */
    public List<String> formats() {
        List<String> out = new ArrayList<>(columns.size());
        for (Column c : columns) {
            out.add(c.format);
        }
        return out;
    }

    /** Adds columns in order; {@link #build} checks that they all have the same length. */
    public static final class Builder {
        private final List<Column> columns = new ArrayList<>();
        private int length = -1;

        private Builder() {
        }

        private Builder add(String name, String format, int rows, boolean[] valid, Object... data) {
            if (name == null || name.isEmpty()) {
                throw new IllegalArgumentException("a column needs a name");
            }
            if (length >= 0 && rows != length) {
                throw new IllegalArgumentException("column '" + name + "' has " + rows + " rows, the batch " + length);
            }
            if (valid != null && valid.length != rows) {
                throw new IllegalArgumentException("column '" + name + "': valid has " + valid.length
                        + " entries for " + rows + " values");
            }
            length = rows;
            long nulls = 0;
            if (valid != null) {
                for (boolean v : valid) {
                    nulls += v ? 0 : 1;
                }
            }
            Object[] buffers = new Object[1 + data.length];
            buffers[0] = nulls == 0 ? null : bits(valid);
            System.arraycopy(data, 0, buffers, 1, data.length);
            columns.add(new Column(name, format, nulls, buffers));
            return this;
        }

        /** A {@code long} column (Arrow int64). */
        public Builder int64(String name, long[] values) {
            return int64(name, values, null);
        }

        /** A {@code long} column with nulls where {@code valid} is false. */
        public Builder int64(String name, long[] values, boolean[] valid) {
            return add(name, "l", values.length, valid, values.clone());
        }

        /** An {@code int} column (Arrow int32). */
        public Builder int32(String name, int[] values) {
            return int32(name, values, null);
        }

        /** An {@code int} column with nulls where {@code valid} is false. */
        public Builder int32(String name, int[] values, boolean[] valid) {
            return add(name, "i", values.length, valid, values.clone());
        }

        /** A {@code double} column (Arrow float64). */
        public Builder float64(String name, double[] values) {
            return float64(name, values, null);
        }

        /** A {@code double} column with nulls where {@code valid} is false. */
        public Builder float64(String name, double[] values, boolean[] valid) {
            return add(name, "g", values.length, valid, values.clone());
        }

        /** A {@code float} column (Arrow float32). */
        public Builder float32(String name, float[] values) {
            return float32(name, values, null);
        }

        /** A {@code float} column with nulls where {@code valid} is false. */
        public Builder float32(String name, float[] values, boolean[] valid) {
            return add(name, "f", values.length, valid, values.clone());
        }

        /** A {@code boolean} column. */
        public Builder bool(String name, boolean[] values) {
            return bool(name, values, null);
        }

        /** A {@code boolean} column with nulls where {@code valid} is false. */
        public Builder bool(String name, boolean[] values, boolean[] valid) {
            return add(name, "b", values.length, valid, bits(values));
        }

        /** A {@code string} column (Arrow utf8); null elements are nulls. */
        public Builder utf8(String name, String[] values) {
            byte[][] bytes = new byte[values.length][];
            for (int i = 0; i < values.length; i++) {
                bytes[i] = values[i] == null ? null : values[i].getBytes(StandardCharsets.UTF_8);
            }
            return variable(name, "u", bytes);
        }

        /** A {@code binary} column; null elements are nulls. */
        public Builder binary(String name, byte[][] values) {
            return variable(name, "z", values);
        }

        /** A {@code timestamp} column (no time zone) of microseconds since 1970-01-01T00:00:00. */
        public Builder timestampMicros(String name, long[] micros, boolean[] valid) {
            return add(name, "tsu:", micros.length, valid, micros.clone());
        }

        /** A {@code timestamptz} column (Arrow timestamp[us, UTC]) of microseconds since the epoch. */
        public Builder timestampTzMicros(String name, long[] micros, boolean[] valid) {
            return add(name, "tsu:UTC", micros.length, valid, micros.clone());
        }

        /** A {@code timestamptz} column; null elements are nulls. Sub-microsecond digits are truncated. */
        public Builder timestampTz(String name, Instant[] values) {
            long[] micros = new long[values.length];
            boolean[] valid = new boolean[values.length];
            for (int i = 0; i < values.length; i++) {
                if (values[i] != null) {
                    micros[i] = Math.addExact(Math.multiplyExact(values[i].getEpochSecond(), 1_000_000L),
                            values[i].getNano() / 1000);
                    valid[i] = true;
                }
            }
            return add(name, "tsu:UTC", values.length, valid, micros);
        }

        /** A {@code date} column (Arrow date32) of days since 1970-01-01. */
        public Builder dateDays(String name, int[] days, boolean[] valid) {
            return add(name, "tdD", days.length, valid, days.clone());
        }

        /** A {@code date} column; null elements are nulls. */
        public Builder date(String name, LocalDate[] values) {
            int[] days = new int[values.length];
            boolean[] valid = new boolean[values.length];
            for (int i = 0; i < values.length; i++) {
                if (values[i] != null) {
                    days[i] = Math.toIntExact(values[i].toEpochDay());
                    valid[i] = true;
                }
            }
            return add(name, "tdD", values.length, valid, days);
        }

        private Builder variable(String name, String format, byte[][] values) {
            int[] offsets = new int[values.length + 1];
            boolean[] valid = new boolean[values.length];
            long total = 0;
            for (int i = 0; i < values.length; i++) {
                valid[i] = values[i] != null;
                total += valid[i] ? values[i].length : 0;
                if (total > Integer.MAX_VALUE) {
                    throw new IllegalArgumentException("column '" + name + "' holds more than 2 GiB; split the batch");
                }
                offsets[i + 1] = (int) total;
            }
            byte[] data = new byte[(int) total];
            for (int i = 0; i < values.length; i++) {
                if (valid[i]) {
                    System.arraycopy(values[i], 0, data, offsets[i], values[i].length);
                }
            }
            return add(name, format, values.length, valid, offsets, data);
        }

        /** The batch; at least one column is needed. */
        public ArrowBatch build() {
            if (columns.isEmpty()) {
                throw new IllegalStateException("a batch needs at least one column");
            }
            return new ArrowBatch(columns, length);
        }
    }

    /** Arrow's LSB-first bitmap of {@code values}. */
    private static byte[] bits(boolean[] values) {
        byte[] out = new byte[(values.length + 7) / 8];
        for (int i = 0; i < values.length; i++) {
            if (values[i]) {
                out[i / 8] |= (byte) (1 << (i % 8));
            }
        }
        return out;
    }
}
