"""Tables through the binding: create, describe, list, ingest, count, snapshots, scan_rows, WAP, errors."""
import os
import tempfile
import unittest

import floe

SCHEMA = "id:long not null,amount:double,name:string,ok:boolean,ts:timestamp"
ROWS = ("id,amount,name,ok,ts\n"
        "1,1.5,alpha,true,2024-01-01T00:00:00\n"
        "2,2.25,beta,false,2024-01-02T00:00:00\n"
        "3,,gamma,true,2024-01-03T00:00:00\n")


class TableTests(unittest.TestCase):
    def setUp(self):
        self._dir = tempfile.TemporaryDirectory(prefix="floe-py-")
        self.addCleanup(self._dir.cleanup)
        self.warehouse = floe.Warehouse(os.path.join(self._dir.name, "wh"))
        self.addCleanup(self.warehouse.close)
        self.warehouse.create_table("db.events", SCHEMA)

    def csv(self, name, text=ROWS):
        path = os.path.join(self._dir.name, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return path

    def test_create_describe_and_list(self):
        description = self.warehouse.describe("db.events")
        self.assertEqual(description["name"], "db.events")
        self.assertEqual(description["format_version"], 2)
        self.assertIsNone(description["current_snapshot_id"])
        self.assertEqual(self.warehouse.tables(), ["db.events"])

    def test_create_with_properties_and_upgrade(self):
        self.warehouse.create_table("db.v3", SCHEMA, "day(ts)", properties={"format-version": "3", "owner": "py"})
        description = self.warehouse.describe("db.v3")
        self.assertEqual(description["format_version"], 3)
        self.assertEqual(description["properties"]["owner"], "py")
        upgraded = self.warehouse.upgrade_table("db.events")
        self.assertEqual(upgraded["format_version"], 3)
        self.assertEqual(self.warehouse.describe("db.events")["format_version"], 3)
        with self.assertRaises(floe.InvalidArgumentError):
            self.warehouse.upgrade_table("db.events", 2)
        with self.assertRaises(floe.InvalidArgumentError):
            self.warehouse.create_table("db.bad", SCHEMA, properties={"format-version": "9"})
        self.assertNotIn("db.bad", self.warehouse.tables())

    def test_ingest_count_and_snapshots(self):
        result = self.warehouse.ingest("db.events", self.csv("a.csv"))
        self.assertEqual(result["rows"], 3)
        self.assertEqual(result["operation"], "append")
        self.assertEqual(self.warehouse.count("db.events"), 3)
        self.assertEqual(self.warehouse.count("db.events", filter="id >= 2"), 2)
        ids = [s["snapshot_id"] for s in self.warehouse.snapshots("db.events")]
        self.assertEqual(ids, [result["snapshot_id"]])
        self.assertEqual(self.warehouse.describe("db.events")["current_snapshot_id"], result["snapshot_id"])

    def test_aggregate(self):
        self.warehouse.ingest("db.events", self.csv("a.csv"))
        result = self.warehouse.aggregate("db.events", "count(*), sum(id), max(amount), min(ts), count(amount)")
        values = {a["name"]: a["value"] for a in result["aggregates"]}
        self.assertEqual(values, {"count(*)": 3, "sum(id)": 6, "max(amount)": 2.25, "min(ts)": "2024-01-01T00:00:00",
                                  "count(amount)": 2})
        filtered = self.warehouse.aggregate("db.events", "avg(id)", filter="id >= 2")
        self.assertEqual(filtered["aggregates"][0]["value"], 2.5)
        with self.assertRaises(floe.InvalidArgumentError):
            self.warehouse.aggregate("db.events", "median(id)")

    def test_scan_rows_decodes_primitive_columns(self):
        self.warehouse.ingest("db.events", self.csv("a.csv"))
        rows = sorted(self.warehouse.scan_rows("db.events"), key=lambda r: r["id"])
        self.assertEqual([r["id"] for r in rows], [1, 2, 3])
        self.assertEqual([r["amount"] for r in rows], [1.5, 2.25, None])
        self.assertEqual([r["name"] for r in rows], ["alpha", "beta", "gamma"])
        self.assertEqual([r["ok"] for r in rows], [True, False, True])
        self.assertEqual(rows[0]["ts"], 1704067200 * 1_000_000)
        projected = self.warehouse.scan_rows("db.events", columns=["id"], filter="id > 1")
        self.assertEqual(sorted(r["id"] for r in projected), [2, 3])
        self.assertEqual(set(projected[0]), {"id"})

    def test_write_audit_publish(self):
        self.warehouse.ingest("db.events", self.csv("a.csv"))
        self.warehouse.create_branch("db.events", "staging")
        staged = self.warehouse.ingest("db.events", self.csv("b.csv", "id,amount,name,ok,ts\n10,1.0,x,true,2024-02-01T00:00:00\n11,2.0,y,false,2024-02-02T00:00:00\n"),
                                       branch="staging", properties={"floe.code-version": "abc123"})
        self.assertEqual(self.warehouse.count("db.events"), 3)
        self.assertEqual(len(self.warehouse.scan_rows("db.events", ref="staging")), 5)
        summaries = {s["snapshot_id"]: s for s in self.warehouse.snapshots("db.events")}
        self.assertIn(staged["snapshot_id"], summaries)
        self.warehouse.fast_forward("db.events", "main", "staging")
        self.assertEqual(self.warehouse.count("db.events"), 5)

    def test_errors_map_to_exceptions(self):
        with self.assertRaises(floe.NotFoundError) as raised:
            self.warehouse.describe("db.nosuch")
        self.assertIn("db.nosuch", str(raised.exception))
        with self.assertRaises(floe.InvalidArgumentError):
            self.warehouse.create_table("db.bad", "id:notatype")
        with self.assertRaises(floe.AlreadyExistsError):
            self.warehouse.create_table("db.events", SCHEMA)
        with self.assertRaises(floe.NotFoundError):
            self.warehouse.scan_rows("db.events", ref="nosuch")
        self.warehouse.close()
        with self.assertRaises(floe.InvalidHandleError):
            self.warehouse.count("db.events")


if __name__ == "__main__":
    unittest.main()
