package dev.floe;

import java.util.Arrays;
import java.util.List;

/**
 * A scan as an Arrow C stream ({@code struct ArrowArrayStream}) in native memory, for zero-copy consumers.
 *
 * <p>With Arrow Java: {@code Data.importArrayStream(allocator, ArrowArrayStream.wrap(stream.address()))} moves the
 * stream into an {@code ArrowReader} (the importer takes ownership and releases it); closing this object then only
 * frees the struct's memory. Without Arrow Java, {@link #readRows()} decodes it into plain Java values.
 * Keep the {@link Warehouse} open while a scan's stream is read.
 *
 * <p>{@link #of} builds a stream from {@link ArrowBatch}es for {@link Warehouse#ingestArrow} and
 * {@link Features#compute}, which move the stream: after them it is released, and closing it frees its memory.
 */
public final class ArrowStream implements AutoCloseable {
    private long address;

    ArrowStream(long address) {
        this.address = address;
    }

    /**
     * A stream of {@code batches} (at least one, all with the same column names and formats), copied into native
     * memory now; the arrays may be reused afterwards. Close it, or pass it to a call that moves it.
     */
    public static ArrowStream of(List<ArrowBatch> batches) throws FloeException {
        if (batches == null || batches.isEmpty()) {
            throw new IllegalArgumentException("an Arrow stream needs at least one batch (it gives the schema)");
        }
        ArrowBatch first = batches.get(0);
        int columns = first.columns.size();
        byte[][] names = new byte[columns][];
        byte[][] formats = new byte[columns][];
        for (int c = 0; c < columns; c++) {
            names[c] = FloeNative.utf8(first.columns.get(c).name);
            formats[c] = FloeNative.utf8(first.columns.get(c).format);
        }
        long[] lengths = new long[batches.size()];
        long[] nullCounts = new long[batches.size() * columns];
        Object[] buffers = new Object[batches.size() * columns * 3];
        for (int b = 0; b < batches.size(); b++) {
            ArrowBatch batch = batches.get(b);
            if (!batch.names().equals(first.names()) || !batch.formats().equals(first.formats())) {
                throw new IllegalArgumentException("batch " + b + " has columns " + batch.names() + " " + batch.formats()
                        + ", batch 0 " + first.names() + " " + first.formats());
            }
            lengths[b] = batch.length;
            for (int c = 0; c < columns; c++) {
                ArrowBatch.Column column = batch.columns.get(c);
                nullCounts[b * columns + c] = column.nullCount;
                System.arraycopy(column.buffers, 0, buffers, (b * columns + c) * 3, column.buffers.length);
            }
        }
        return new ArrowStream(FloeNative.arrowStreamFromBatches(names, formats, lengths, nullCounts, buffers));
    }

    /** {@link #of(List)} of these batches. */
    public static ArrowStream of(ArrowBatch... batches) throws FloeException {
        return of(Arrays.asList(batches));
    }

    /** The address of the {@code struct ArrowArrayStream}. */
    public long address() {
        if (address == 0) {
            throw new IllegalStateException("the Arrow stream is closed");
        }
        return address;
    }

    /** Reads the rest of the stream into rows (the plain fallback). */
    public Rows readRows() throws FloeException {
        Object[] schema = FloeNative.arrowStreamSchema(address());
        Object[] names = (Object[]) schema[0];
        Object[] formats = (Object[]) schema[1];
        String[] columnNames = new String[names.length];
        String[] columnFormats = new String[formats.length];
        for (int i = 0; i < names.length; i++) {
            columnNames[i] = FloeNative.text((byte[]) names[i]);
            columnFormats[i] = FloeNative.text((byte[]) formats[i]);
        }
        Rows rows = new Rows(columnNames, columnFormats);
        for (Object[] batch; (batch = FloeNative.arrowStreamNext(address(), columnFormats)) != null; ) {
            rows.append(batch);
        }
        return rows;
    }

    /** Releases the stream if it is still live and frees its memory; closing twice is harmless. */
    @Override
    public void close() {
        long a = address;
        address = 0;
        if (a != 0) {
            FloeNative.arrowStreamFree(a);
        }
    }
}
