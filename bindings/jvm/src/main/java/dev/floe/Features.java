package dev.floe;

import java.nio.file.Path;
import java.util.Map;

/**
 * Feature definitions without a warehouse: check a definition file, or compute it over Arrow data the host holds
 * (a scan's {@link ArrowStream}, or {@link ArrowStream#of} batches built from Java arrays).
 */
public final class Features {
    private Features() {
    }

    /**
     * Parses and checks a feature group definition (.json, .yaml or .yml), as {@code floe features validate --json}:
     * {"valid": Boolean, "errors": [String, ...]}. An invalid definition is a result, not an exception; a missing
     * file throws {@link NotFoundException}.
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> validate(Path definition) throws FloeException {
        return (Map<String, Object>) Json.parse(FloeNative.text(
                FloeNative.featuresValidate(FloeNative.utf8(definition.toString()))));
    }

    /**
     * Computes a feature group over {@code events} (the definition's own source is ignored; its lookback is whatever
     * the events cover) for event times in [{@code from}, {@code to}) (dates or ISO-8601 timestamps, UTC unless an
     * offset is given). Returns the output rows (entity keys, event time, every feature), one batch per UTC day,
     * oldest first; read them with {@link ArrowStream#readRows} or Arrow Java, and close the result. {@code events} is
     * moved: it is released by the library when the output is released (the output may share its buffers), so keep
     * the warehouse a scan came from open until then; close {@code events} to free its struct. A definition that does
     * not fit the events' columns throws {@link InvalidDataException}.
     */
    public static ArrowStream compute(Path definition, ArrowStream events, String from, String to) throws FloeException {
        long eventsAddress = events.address();
        long out = FloeNative.arrowStreamAllocate();
        try {
            FloeNative.featuresCompute(out, FloeNative.utf8(definition.toString()), eventsAddress, FloeNative.utf8(from),
                    FloeNative.utf8(to));
            return new ArrowStream(out);
        } catch (FloeException | RuntimeException | Error e) {
            FloeNative.arrowStreamFree(out);
            throw e;
        }
    }
}
