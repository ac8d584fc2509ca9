"""The Arrow PyCapsule protocol: scans export `__arrow_c_stream__`, ingest_arrow takes any such object."""
import importlib.util
import os
import tempfile
import unittest

import floe
from floe import _capsule

SCHEMA = "id:long not null,amount:double,name:string"


class ArrowStreamTests(unittest.TestCase):
    def setUp(self):
        self._dir = tempfile.TemporaryDirectory(prefix="floe-py-")
        self.addCleanup(self._dir.cleanup)
        self.warehouse = floe.Warehouse(os.path.join(self._dir.name, "wh"))
        self.addCleanup(self.warehouse.close)
        self.warehouse.create_table("db.src", SCHEMA, "name")
        path = os.path.join(self._dir.name, "a.csv")
        with open(path, "w", encoding="utf-8") as f:
            f.write("id,amount,name\n1,1.5,a\n2,2.5,a\n3,,b\n")
        self.warehouse.ingest("db.src", path)

    def test_scan_is_a_capsule_named_arrow_array_stream(self):
        capsule = self.warehouse.scan("db.src").__arrow_c_stream__()
        self.assertEqual(type(capsule).__name__, "PyCapsule")
        stream = _capsule.stream_pointer(capsule).contents
        self.assertTrue(bool(stream.release))
        rows = floe._arrow.read_rows(stream)
        self.assertEqual(sorted(r["id"] for r in rows), [1, 2, 3])
        del capsule  # the destructor releases the stream; nothing to assert but that it does not crash

    def test_to_pylist_fallback(self):
        rows = sorted(self.warehouse.scan("db.src", filter="id >= 2").to_pylist(), key=lambda r: r["id"])
        self.assertEqual(rows, [{"id": 2, "amount": 2.5, "name": "a"}, {"id": 3, "amount": None, "name": "b"}])

    def test_ingest_arrow_from_a_scan_appends_then_overwrites_partitions(self):
        self.warehouse.create_table("db.dst", SCHEMA, "name")
        result = self.warehouse.ingest_arrow("db.dst", self.warehouse.scan("db.src"))
        self.assertEqual(result["rows"], 3)
        self.assertEqual(sorted(r["id"] for r in self.warehouse.scan_rows("db.dst")), [1, 2, 3])
        # Overwrite with only partition b's rows: partition a stays, b is replaced (no duplicates).
        self.warehouse.ingest_arrow("db.dst", self.warehouse.scan("db.src", filter="name = 'b'"),
                                    mode="overwrite-partitions")
        self.assertEqual(sorted(r["id"] for r in self.warehouse.scan_rows("db.dst")), [1, 2, 3])
        self.warehouse.ingest_arrow("db.dst", self.warehouse.scan("db.src", filter="name = 'a'"))
        self.assertEqual(self.warehouse.count("db.dst"), 5)

    def test_ingest_arrow_refuses_a_mismatched_schema_and_commits_nothing(self):
        self.warehouse.create_table("db.other", "id:long not null,price:double,name:string")
        with self.assertRaises(floe.InvalidDataError):
            self.warehouse.ingest_arrow("db.other", self.warehouse.scan("db.src"))
        self.assertEqual(self.warehouse.snapshots("db.other"), [])
        with self.assertRaises(TypeError):
            self.warehouse.ingest_arrow("db.other", object())

    @unittest.skipUnless(importlib.util.find_spec("pyarrow"), "pyarrow is not installed")
    def test_pyarrow_reads_a_scan(self):
        import pyarrow
        table = pyarrow.table(self.warehouse.scan("db.src"))
        self.assertEqual(sorted(table.column("id").to_pylist()), [1, 2, 3])


if __name__ == "__main__":
    unittest.main()
