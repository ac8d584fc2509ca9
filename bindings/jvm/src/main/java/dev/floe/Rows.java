package dev.floe;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A scan result as plain Java values, the fallback for hosts without Arrow Java. Values are typed by the column's
 * Arrow format: Long (int64), Integer (int32), Double, Float, Boolean, String (utf8), byte[] (binary, fixed, uuid),
 * Instant (timestamps), LocalDate (date), LocalTime (time), BigDecimal (decimal); null for null.
 */
public final class Rows {
    private final List<String> names;
    private final List<String> formats;
    private final List<Object[]> rows = new ArrayList<>();

    Rows(String[] names, String[] formats) {
        this.names = Collections.unmodifiableList(Arrays.asList(names));
        this.formats = Collections.unmodifiableList(Arrays.asList(formats));
    }

    /** The column names, in order. */
    public List<String> columns() {
        return names;
    }

    /** The columns' Arrow C Data Interface format strings, e.g. "l" or "tsu:UTC". */
    public List<String> formats() {
        return formats;
    }

    /** The number of rows. */
    public int size() {
        return rows.size();
    }

    /** Row {@code index} as values in column order. */
    public Object[] row(int index) {
        return rows.get(index).clone();
    }

    /** Every row as a map from column name to value, in column order. */
    public List<Map<String, Object>> toList() {
        List<Map<String, Object>> out = new ArrayList<>(rows.size());
        for (Object[] row : rows) {
            Map<String, Object> map = new LinkedHashMap<>();
            for (int c = 0; c < names.size(); c++) {
                map.put(names.get(c), row[c]);
            }
            out.add(map);
        }
        return out;
    }

    /** Every value of one column, in row order. */
    public List<Object> column(String name) {
        int c = names.indexOf(name);
        if (c < 0) {
            throw new IllegalArgumentException("no column " + name);
        }
        List<Object> out = new ArrayList<>(rows.size());
        for (Object[] row : rows) {
            out.add(row[c]);
        }
        return out;
    }

    void append(Object[] batch) {
        int length = batch.length == 0 ? 0 : ((Object[]) batch[0]).length;
        for (int r = 0; r < length; r++) {
            Object[] row = new Object[batch.length];
            for (int c = 0; c < batch.length; c++) {
                row[c] = convert(formats.get(c), ((Object[]) batch[c])[r]);
            }
            rows.add(row);
        }
    }

    private static Object convert(String format, Object raw) {
        if (raw == null) {
            return null;
        }
        if (format.equals("u")) {
            return new String((byte[]) raw, StandardCharsets.UTF_8);
        }
        if (format.startsWith("tsu:")) {
            long micros = (Long) raw;
            return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
        }
        if (format.startsWith("tsn:")) {
            long nanos = (Long) raw;
            return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
        }
        if (format.equals("tdD")) {
            return LocalDate.ofEpochDay((Integer) raw);
        }
        if (format.equals("ttu")) {
            return LocalTime.ofNanoOfDay((Long) raw * 1000L);
        }
        if (format.startsWith("d:")) {
            int scale = Integer.parseInt(format.substring(format.indexOf(',') + 1).split(",")[0]);
            byte[] le = (byte[]) raw;
            byte[] be = new byte[le.length];
            for (int i = 0; i < le.length; i++) {
                be[i] = le[le.length - 1 - i];
            }
            return new BigDecimal(new BigInteger(be), scale);
        }
        return raw;
    }
}
