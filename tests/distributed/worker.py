"""A Python worker of the multi-process backfill test, through the Python binding.
  plan WAREHOUSE DEF FROM TO OUT.json [TASKS_DIR]
                                              plan the backfill, write the plan (and each task as TASKS_DIR/task-NNN.json)
  execute WAREHOUSE TASK.json... RESULTS_DIR  run each task, write its result as RESULTS_DIR/<task file name>
  commit WAREHOUSE PLAN.json RESULTS_DIR      commit every planned task's result as one snapshot, print the summary"""
import json
import os
import sys

from floe import Warehouse


def write_atomically(path, value):
    # A worker killed mid-write must leave no half result behind: write beside, then rename.
    temp = path + ".tmp"
    with open(temp, "w") as f:
        json.dump(value, f)
    os.replace(temp, path)


def main():
    mode, warehouse = sys.argv[1], sys.argv[2]
    with Warehouse(warehouse) as wh:
        if mode == "plan":
            definition, start, end, out = sys.argv[3:7]
            plan = wh.backfill_plan(definition, start, end, code_version="dist-test")
            write_atomically(out, plan)
            if len(sys.argv) > 7:
                for i, task in enumerate(plan["tasks"]):
                    write_atomically(os.path.join(sys.argv[7], f"task-{i:03d}.json"), task)
        elif mode == "execute":
            *tasks, results = sys.argv[3:]
            for task_file in tasks:
                with open(task_file) as f:
                    task = json.load(f)
                result = wh.execute_task(task)
                write_atomically(os.path.join(results, os.path.basename(task_file)), result)
        elif mode == "commit":
            plan_file, results = sys.argv[3:5]
            with open(plan_file) as f:
                plan = json.load(f)
            ordered = []
            for i in range(len(plan["tasks"])):
                with open(os.path.join(results, f"task-{i:03d}.json")) as f:
                    ordered.append(json.load(f))
            print(json.dumps(wh.commit_tasks(plan, ordered)))
        else:
            raise SystemExit(f"unknown mode {mode}")


main()
