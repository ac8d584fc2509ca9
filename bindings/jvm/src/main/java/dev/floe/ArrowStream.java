package dev.floe;

/**
 * A scan as an Arrow C stream ({@code struct ArrowArrayStream}) in native memory, for zero-copy consumers.
 *
 * <p>With Arrow Java: {@code Data.importArrayStream(allocator, ArrowArrayStream.wrap(stream.address()))} moves the
 * stream into an {@code ArrowReader} (the importer takes ownership and releases it); closing this object then only
 * frees the struct's memory. Without Arrow Java, {@link #readRows()} decodes it into plain Java values.
 * Keep the {@link Warehouse} open while the stream is read.
 */
public final class ArrowStream implements AutoCloseable {
    private long address;

    ArrowStream(long address) {
        this.address = address;
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
