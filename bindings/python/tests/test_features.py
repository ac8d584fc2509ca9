"""validate_features and compute_features: Arrow in (a floe scan), Arrow out, checked against hand-computed windows."""
import json
import os
import tempfile
import unittest

import floe

DEFINITION = {
    "name": "user_txn", "version": 1, "entity": ["entity_id"], "timestamp": "event_time",
    "source": {"table": "demo.nowhere"},
    "features": [{"name": "txn_count_1d", "agg": "count", "window": "1d"},
                 {"name": "amount_sum_1d", "agg": "sum", "column": "amount", "window": "1d"}],
}
# Entity 1 has two events an hour apart (the second sees both in its 1-day window), then one two days later;
# entity 2 one event. Days apart, a 1-day window holds only the event itself.
EVENTS = ("entity_id,event_time,amount\n"
          "1,2024-01-01T01:00:00Z,1.0\n1,2024-01-01T02:00:00Z,2.0\n2,2024-01-01T03:00:00Z,5.0\n"
          "1,2024-01-03T05:00:00Z,4.0\n2,2024-01-09T00:00:00Z,8.0\n")


class FeatureTests(unittest.TestCase):
    def setUp(self):
        self._dir = tempfile.TemporaryDirectory(prefix="floe-py-")
        self.addCleanup(self._dir.cleanup)
        self.definition = os.path.join(self._dir.name, "user_txn.json")
        with open(self.definition, "w", encoding="utf-8") as f:
            json.dump(DEFINITION, f)
        self.warehouse = floe.Warehouse(os.path.join(self._dir.name, "wh"))
        self.addCleanup(self.warehouse.close)
        self.warehouse.create_table("demo.events",
                                    "entity_id:long not null,event_time:timestamptz not null,amount:double")
        csv = os.path.join(self._dir.name, "events.csv")
        with open(csv, "w", encoding="utf-8") as f:
            f.write(EVENTS)
        self.warehouse.ingest("demo.events", csv)

    def test_validate(self):
        self.assertEqual(floe.validate_features(self.definition), {"valid": True, "errors": []})
        bad = os.path.join(self._dir.name, "bad.json")
        with open(bad, "w", encoding="utf-8") as f:
            json.dump({**DEFINITION, "features": [{"name": "f", "agg": "no_such_agg", "window": "1d"}]}, f)
        result = floe.validate_features(bad)
        self.assertFalse(result["valid"])
        self.assertTrue(result["errors"])
        with self.assertRaises(floe.NotFoundError):
            floe.validate_features(os.path.join(self._dir.name, "missing.json"))

    def test_compute_from_a_scan(self):
        out = floe.compute_features(self.definition, self.warehouse.scan("demo.events"), "2024-01-01", "2024-01-05")
        rows = sorted(out.to_pylist(), key=lambda r: (r["entity_id"], r["event_time"]))
        got = [(r["entity_id"], r["txn_count_1d"], r["amount_sum_1d"]) for r in rows]
        self.assertEqual(got, [(1, 1, 1.0), (1, 2, 3.0), (1, 1, 4.0), (2, 1, 5.0)])
        with self.assertRaises(ValueError):
            out.to_pylist()

    def test_compute_output_is_a_capsule_that_ingest_arrow_reads(self):
        out = floe.compute_features(self.definition, self.warehouse.scan("demo.events"), "2024-01-01", "2024-01-10")
        capsule = out.__arrow_c_stream__()
        rows = floe._arrow.read_rows(floe._capsule.stream_pointer(capsule).contents)
        self.assertEqual(len(rows), 5)

    def test_definition_that_does_not_fit_the_events(self):
        with self.assertRaises(floe.FloeError):
            floe.compute_features(self.definition, self.warehouse.scan("demo.events", columns=["entity_id", "event_time"]),
                                  "2024-01-01", "2024-01-05")


if __name__ == "__main__":
    unittest.main()
