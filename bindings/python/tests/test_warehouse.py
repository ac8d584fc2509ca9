"""Warehouse: open, path, close, context manager, use after close, threads."""
import os
import pathlib
import tempfile
import threading
import unittest

import floe


class WarehouseTests(unittest.TestCase):
    def test_version_matches_abi_and_header(self):
        self.assertEqual(floe.version(), "0.1.0")
        self.assertEqual(floe.ABI_VERSION, 1)

    def test_abi_mismatch_refuses_to_load(self):
        original = floe.ABI_VERSION
        floe.ABI_VERSION = original + 1
        try:
            with self.assertRaises(ImportError):
                floe._check_abi()
        finally:
            floe.ABI_VERSION = original

    def test_path_is_absolute(self):
        # Opening creates the folder and its catalog.db, so work in a temporary current directory.
        previous = os.getcwd()
        with tempfile.TemporaryDirectory() as scratch:
            os.chdir(scratch)
            try:
                with floe.Warehouse("rel/wh") as warehouse:
                    self.assertEqual(warehouse.path, os.path.join(os.getcwd(), "rel", "wh"))
            finally:
                os.chdir(previous)

    def test_accepts_pathlike_and_non_ascii(self):
        folder = pathlib.Path("/tmp/données/倉庫")
        with floe.Warehouse(folder) as warehouse:
            self.assertEqual(warehouse.path, str(folder))

    def test_catalog_uri_opens_another_catalog_and_a_bad_scheme_is_refused(self):
        with tempfile.TemporaryDirectory() as scratch:
            with floe.Warehouse(scratch, catalog="sqlite:" + os.path.join(scratch, "other.db")) as wh:
                wh.create_table("db.t", "id:long")
                self.assertEqual(wh.tables(), ["db.t"])
            self.assertTrue(os.path.exists(os.path.join(scratch, "other.db")))
            with floe.Warehouse(scratch) as default:
                self.assertEqual(default.tables(), [])
            with self.assertRaises(floe.InvalidArgumentError) as raised:
                floe.Warehouse(scratch, catalog="nosuch://x")
            self.assertIn("nosuch", str(raised.exception))

    def test_context_manager_closes(self):
        with floe.Warehouse("/tmp/wh") as warehouse:
            self.assertFalse(warehouse.closed)
        self.assertTrue(warehouse.closed)
        with self.assertRaises(floe.InvalidHandleError):
            _ = warehouse.path

    def test_close_twice_is_harmless(self):
        warehouse = floe.Warehouse("/tmp/wh")
        warehouse.close()
        warehouse.close()
        self.assertTrue(warehouse.closed)

    def test_threads_share_nothing_but_work(self):
        failures = []

        def work(index):
            try:
                for _ in range(20):  # each open opens the real catalog.db
                    with floe.Warehouse(f"/tmp/t{index}") as warehouse:
                        if warehouse.path != f"/tmp/t{index}":
                            failures.append(warehouse.path)
            except Exception as e:  # pragma: no cover - reported below
                failures.append(repr(e))

        threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertEqual(failures, [])


if __name__ == "__main__":
    unittest.main()
