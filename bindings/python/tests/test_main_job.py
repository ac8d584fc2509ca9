"""The main job end to end through the ABI: events table, ingest, backfill with WAP, audit, publish, lineage,
training set; progress callbacks, cancellation and bad requests. ctest runs this with no dotnet in the environment."""
import csv
import json
import os
import tempfile
import unittest

import floe

DEFINITION = {
    "name": "user_txn", "version": 1, "entity": ["entity_id"], "timestamp": "event_time",
    "source": {"table": "demo.events"},
    "features": [
        {"name": "txn_count_1d", "agg": "count", "window": "1d"},
        {"name": "amount_sum_1d", "agg": "sum", "column": "amount", "window": "1d"},
    ],
}
ENTITIES = 25
EVENTS_PER_DAY = 3
DAYS = 3


class MainJobTests(unittest.TestCase):
    def setUp(self):
        self._scratch = tempfile.TemporaryDirectory()
        self.dir = self._scratch.name
        self.warehouse = floe.Warehouse(os.path.join(self.dir, "wh"))
        self.warehouse.create_table(
            "demo.events", "entity_id:long not null,event_time:timestamptz not null,amount:double,category:string",
            "day(event_time)")
        events = os.path.join(self.dir, "events.csv")
        self.amounts = {}
        with open(events, "w", newline="") as f:
            out = csv.writer(f)
            out.writerow(["entity_id", "event_time", "amount", "category"])
            for day in range(1, DAYS + 1):
                for entity in range(ENTITIES):
                    for k in range(EVENTS_PER_DAY):
                        amount = 1 + (entity * 7 + k * 3 + day) % 40
                        self.amounts.setdefault((entity, day), []).append(amount)
                        out.writerow([entity, f"2024-01-{day:02d}T{2 + 6 * k:02d}:{entity:02d}:00Z", amount, f"c{k}"])
        self.assertEqual(self.warehouse.ingest("demo.events", events)["rows"], DAYS * ENTITIES * EVENTS_PER_DAY)
        self.definition = os.path.join(self.dir, "user_txn.json")
        with open(self.definition, "w") as f:
            json.dump(DEFINITION, f)

    def tearDown(self):
        self.warehouse.close()
        self._scratch.cleanup()

    def test_backfill_with_wap_audit_publish_lineage_and_training_set(self):
        w = self.warehouse
        reports = []
        summary = w.backfill(self.definition, "2024-01-01", "2024-01-04", wap=True, code_version="py-test",
                             progress=lambda done, total, rows: reports.append((done, total, rows)))
        self.assertEqual(summary["branch"], "wap-user_txn")
        self.assertEqual(summary["days"], DAYS)
        self.assertTrue(reports and all(total == DAYS for _, total, _ in reports))
        self.assertEqual(reports[-1][0], DAYS)
        self.assertEqual(reports[-1][2], summary["rows"])
        staged = w.scan_rows("features.user_txn", ref="wap-user_txn")
        self.assertEqual(len(staged), summary["rows"])

        with self.assertRaises(floe.ValidationError):
            w.publish("features.user_txn", "wap-user_txn")
        audit = w.audit("features.user_txn", "wap-user_txn", report_dir=os.path.join(self.dir, "report"),
                        key_columns=["entity_id"])
        self.assertTrue(audit["passed"], audit)
        self.assertTrue(os.listdir(os.path.join(self.dir, "report")))
        published = w.publish("features.user_txn", "wap-user_txn")
        self.assertEqual(published["snapshot_id"], summary["snapshot_id"])
        self.assertEqual(w.count("features.user_txn"), summary["rows"])

        lineage = w.lineage("features.user_txn")
        self.assertEqual([p["partition"] for p in lineage["partitions"]], ["2024-01-01", "2024-01-02", "2024-01-03"])
        self.assertTrue(all("py-test" in json.dumps(p["lineage"]) for p in lineage["partitions"]))

        # One spine row per entity at the end of day 2: the 1-day sum is that day's events (an independent oracle).
        spine = os.path.join(self.dir, "spine.csv")
        with open(spine, "w") as f:
            f.write("entity_id,ts,label\n")
            for entity in range(ENTITIES):
                f.write(f"{entity},2024-01-02T23:59:00Z,{entity % 2}\n")
        output = os.path.join(self.dir, "train.csv")
        result = w.training_set(spine, ["features.user_txn"], output)
        self.assertEqual(result["rows"], ENTITIES)
        self.assertEqual(result["groups"][0]["matched"], ENTITIES)
        with open(output) as f:
            rows = list(csv.DictReader(f))
        self.assertEqual(len(rows), ENTITIES)
        sums = {int(r["entity_id"]): float(r["amount_sum_1d"]) for r in rows}
        self.assertEqual(sums, {e: float(sum(self.amounts[(e, 2)])) for e in range(ENTITIES)})

    def test_progress_returning_true_cancels_and_leaves_main_untouched(self):
        w = self.warehouse
        w.backfill(self.definition, "2024-01-01", "2024-01-02", code_version="v1")
        before = w.snapshots("features.user_txn")
        calls = []
        with self.assertRaises(floe.CancelledError) as caught:
            w.backfill(self.definition, "2024-01-01", "2024-01-04", code_version="v2",
                       progress=lambda *report: calls.append(report) or True)
        self.assertEqual(caught.exception.code, floe.CancelledError.code)
        self.assertEqual(len(calls), 1)
        self.assertEqual(w.snapshots("features.user_txn"), before)

    def test_exception_in_progress_cancels_and_is_reraised(self):
        def boom(*_):
            raise KeyError("from the callback")
        with self.assertRaises(KeyError):
            self.warehouse.backfill(self.definition, "2024-01-01", "2024-01-03", progress=boom)
        self.assertEqual(self.warehouse.snapshots("features.user_txn"), [])

    def test_distributed_plan_tasks_in_other_processes_commit_equals_one_process_backfill(self):
        w = self.warehouse
        plan = w.backfill_plan(self.definition, "2024-01-01", "2024-01-04", code_version="v1", branch="dist")
        self.assertEqual([t["day"] for t in plan["tasks"]], ["2024-01-01", "2024-01-02", "2024-01-03"])
        # Each task runs in a child process of its own, as on a scheduler's executors.
        import subprocess
        import sys
        script = ("import json, sys, floe\n"
                  "with floe.Warehouse(sys.argv[1]) as w: print(json.dumps(w.execute_task(json.loads(sys.argv[2]))))")
        results = []
        for task in plan["tasks"]:
            out = subprocess.run([sys.executable, "-c", script, w.path, json.dumps(task)], check=True,
                                 capture_output=True, text=True, cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
            results.append(json.loads(out.stdout))
        with self.assertRaises(floe.InvalidArgumentError):
            w.commit_tasks(plan, results[:2])
        committed = w.commit_tasks(plan, results)
        single = w.backfill(self.definition, "2024-01-01", "2024-01-04", code_version="v1")
        self.assertEqual(committed["rows"], single["rows"])
        columns = ["entity_id", "txn_count_1d", "amount_sum_1d"]
        rows = lambda ref: sorted(tuple(r[c] for c in columns) for r in w.scan_rows("features.user_txn", columns=columns, ref=ref))
        self.assertEqual(rows("dist"), rows(None))
        self.assertEqual(len(rows("dist")), single["rows"])

    def test_bad_requests_raise_invalid_argument_naming_the_field(self):
        w = self.warehouse
        with self.assertRaises(floe.InvalidArgumentError) as caught:
            w.backfill(self.definition, "yesterday", "2024-01-02")
        self.assertIn('"from"', str(caught.exception))
        with self.assertRaises(floe.InvalidArgumentError) as caught:
            w.backfill(self.definition, "2024-01-01", "2024-01-02", commit_every=-2)
        self.assertIn('"commit_every"', str(caught.exception))
        with self.assertRaises(floe.NotFoundError):
            w.lineage("db.nosuch")
        with self.assertRaises(floe.InvalidArgumentError) as caught:
            w.training_set(os.path.join(self.dir, "none.csv"), [], os.path.join(self.dir, "o.csv"))
        self.assertIn('"features"', str(caught.exception))


if __name__ == "__main__":
    unittest.main()
