"""Table lifecycle, delete, maintenance and refs through the binding, checked against scans and the files on disk."""
import os
import tempfile
import unittest

import floe

SCHEMA = "id:long not null,amount:double,name:string"


class MaintenanceTests(unittest.TestCase):
    def setUp(self):
        self._dir = tempfile.TemporaryDirectory(prefix="floe-py-")
        self.addCleanup(self._dir.cleanup)
        self.warehouse = floe.Warehouse(os.path.join(self._dir.name, "wh"))
        self.addCleanup(self.warehouse.close)

    def csv(self, name, text):
        path = os.path.join(self._dir.name, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write("id,amount,name\n" + text)
        return path

    @staticmethod
    def local(location):
        return location[len("file://"):] if location.startswith("file://") else location

    def test_delete_whole_partition_then_rows_of_a_file(self):
        self.warehouse.create_table("db.parts", SCHEMA, "name")
        self.warehouse.ingest("db.parts", self.csv("a.csv", "1,1.0,a\n2,2.0,a\n3,3.0,b\n4,4.0,b\n"))
        result = self.warehouse.delete("db.parts", "name = 'a'")
        self.assertEqual(result["deleted_files"], 1)
        self.assertEqual(sorted(r["id"] for r in self.warehouse.scan_rows("db.parts")), [3, 4])
        result = self.warehouse.delete("db.parts", "id = 3")  # matches the b file in part: rewritten without it
        self.assertEqual((result["rewritten_files"], result["deleted_rows"]), (1, 1))
        self.assertEqual([r["id"] for r in self.warehouse.scan_rows("db.parts")], [4])

    def test_check_register_and_drop(self):
        self.warehouse.create_table("db.events", SCHEMA)
        self.warehouse.ingest("db.events", self.csv("a.csv", "1,1.0,x\n2,2.0,y\n"))
        self.assertTrue(self.warehouse.check_table("db.events", all_snapshots=True)["healthy"])
        metadata = self.warehouse.describe("db.events")["metadata_location"]
        self.assertEqual(self.warehouse.register_table("db.back", self.local(metadata))["name"], "db.back")
        self.assertEqual(self.warehouse.count("db.back"), 2)
        self.assertFalse(self.warehouse.drop_table("db.back")["purged"])
        self.assertEqual(self.warehouse.count("db.events"), 2)
        self.assertTrue(self.warehouse.drop_table("db.events", purge=True)["purged"])
        self.assertFalse(os.path.exists(self.local(metadata)))
        self.assertEqual(self.warehouse.tables(), [])
        with self.assertRaises(floe.NotFoundError):
            self.warehouse.describe("db.events")

    def test_compact_expire_and_remove_orphans_keep_every_row(self):
        self.warehouse.create_table("db.events", SCHEMA)
        for i in range(3):
            self.warehouse.ingest("db.events", self.csv(f"{i}.csv", f"{i},{i}.5,n{i}\n"))
        compacted = self.warehouse.compact("db.events", min_input_files=2)
        self.assertEqual((compacted["rewritten_files"], compacted["added_files"]), (3, 1))
        expired = self.warehouse.expire_snapshots("db.events", older_than="99999999999999", retain_last=1)
        self.assertEqual(len(expired["expired_snapshot_ids"]), 3)
        self.assertEqual(len(self.warehouse.snapshots("db.events")), 1)
        location = self.local(self.warehouse.describe("db.events")["location"])
        orphan = os.path.join(location, "data", "orphan.parquet")
        with open(orphan, "w", encoding="utf-8") as f:
            f.write("not referenced")
        self.warehouse.remove_orphans("db.events", older_than="99999999999999")
        self.assertFalse(os.path.exists(orphan))
        self.assertEqual(sorted(r["id"] for r in self.warehouse.scan_rows("db.events")), [0, 1, 2])

    def test_tags_replace_drop_and_cherry_pick(self):
        self.warehouse.create_table("db.events", SCHEMA)
        first = self.warehouse.ingest("db.events", self.csv("a.csv", "1,1.0,x\n"))["snapshot_id"]
        self.assertEqual(self.warehouse.create_tag("db.events", "v1")["snapshot_id"], first)
        self.warehouse.create_branch("db.events", "dev")
        picked = self.warehouse.ingest("db.events", self.csv("b.csv", "2,2.0,y\n"), branch="dev")["snapshot_id"]
        self.assertEqual(self.warehouse.replace_tag("db.events", "v1", "dev")["snapshot_id"], picked)
        self.warehouse.cherry_pick("db.events", picked)
        self.assertEqual(self.warehouse.count("db.events"), 2)
        self.assertEqual(self.warehouse.replace_branch("db.events", "dev", first)["snapshot_id"], first)
        self.warehouse.drop_ref("db.events", "dev")
        self.warehouse.drop_ref("db.events", "v1", kind="tag")
        self.assertEqual(sorted(self.warehouse.describe("db.events")["refs"]), ["main"])
        with self.assertRaises(floe.NotFoundError):
            self.warehouse.drop_ref("db.events", "v1", kind="tag")
        with self.assertRaises(ValueError):
            self.warehouse.drop_ref("db.events", "v1", kind="label")


if __name__ == "__main__":
    unittest.main()


class ForgetTests(unittest.TestCase):
    def test_forget_counts_on_a_dry_run_then_deletes_from_every_table_with_the_column(self):
        directory = tempfile.TemporaryDirectory(prefix="floe-py-forget-")
        self.addCleanup(directory.cleanup)
        warehouse = floe.Warehouse(os.path.join(directory.name, "wh"))
        self.addCleanup(warehouse.close)
        warehouse.create_table("db.a", "user_id:long,amount:double")
        warehouse.create_table("db.b", "user_id:long,name:string")
        warehouse.create_table("db.c", "other:long")
        for table, text in (("db.a", "user_id,amount\n7,1.0\n8,2.0\n7,3.0\n"), ("db.b", "user_id,name\n7,x\n9,y\n")):
            path = os.path.join(directory.name, table + ".csv")
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            warehouse.ingest(table, path)
        dry = warehouse.forget("user_id", 7, dry_run=True)
        self.assertTrue(dry["dry_run"])
        self.assertEqual({t["table"]: t["deleted_rows"] for t in dry["tables"]}, {"db.a": 2, "db.b": 1})
        self.assertEqual(warehouse.count("db.a"), 3)
        done = warehouse.forget("user_id", 7, reason="erasure request")
        self.assertFalse(done["dry_run"])
        self.assertTrue(all(t["snapshot_id"] for t in done["tables"]))
        self.assertEqual((warehouse.count("db.a"), warehouse.count("db.b")), (1, 1))
        with self.assertRaises(floe.InvalidArgumentError):
            warehouse.forget("user_id", 7, tables=["db.c"])

