package dev.floe;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JSON object behind a fluent request ({@link BackfillRequest}, {@link TrainingSetRequest}): its fields in the
 * order they were set, written as the {@code request_json} the C ABI reads.
 *
 * @param <R> the request type, which each setter returns
 */
abstract class JsonRequest<R extends JsonRequest<R>> {
    private final Map<String, Object> fields = new LinkedHashMap<>();

    /** Sets one field and returns this request, for chaining. */
    @SuppressWarnings("unchecked") // R is always the concrete class itself
    final R set(String name, Object value) {
        fields.put(name, value);
        return (R) this;
    }

    final String toJson() {
        return Json.writeValue(fields);
    }
}
