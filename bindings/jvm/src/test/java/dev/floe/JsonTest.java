package dev.floe;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.Test;

/** The JSON reader/writer against hand-written documents. */
public class JsonTest {
    @Test
    public void parsesNestedValues() {
        Object value = Json.parse(" {\"a\": [1, -2.5e1, true, null], \"b\": {\"c\": \"x\\\"\\u00e9\\n\"}, \"d\": []} ");
        Map<?, ?> map = (Map<?, ?>) value;
        assertEquals(List.of(1L, -25.0, true), ((List<?>) map.get("a")).subList(0, 3));
        assertEquals("x\"é\n", ((Map<?, ?>) map.get("b")).get("c"));
        assertEquals(List.of(), map.get("d"));
    }

    @Test
    public void rejectsTrailingGarbage() {
        assertThrows(IllegalStateException.class, () -> Json.parse("[1] x"));
    }

    @Test
    public void writesEscapedStrings() {
        Map<String, String> map = new LinkedHashMap<>();
        map.put("k\"", "v\\\n");
        assertEquals("{\"k\\\"\":\"v\\\\\\u000a\"}", Json.write(map));
        assertEquals(map, Json.parse(Json.write(map)));
    }
}
