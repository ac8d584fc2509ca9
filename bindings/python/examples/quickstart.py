"""Creates a table, loads rows, copies them through the Arrow C stream and prints what it reads back.

Run after `pip install floe-*.whl`: python examples/quickstart.py WAREHOUSE_DIR
"""
import os
import sys

import floe


def main(folder):
    csv = os.path.join(folder, "events.csv")
    os.makedirs(folder, exist_ok=True)
    with open(csv, "w", encoding="utf-8") as f:
        f.write("id,amount,name\n1,1.5,a\n2,2.5,b\n")
    with floe.Warehouse(os.path.join(folder, "wh")) as warehouse:
        warehouse.create_table("db.events", "id:long not null,amount:double,name:string", "name")
        warehouse.ingest("db.events", csv)
        warehouse.create_table("db.copy", "id:long not null,amount:double,name:string", "name")
        warehouse.ingest_arrow("db.copy", warehouse.scan("db.events"))
        rows = sorted(warehouse.scan("db.copy").to_pylist(), key=lambda r: r["id"])
        print(f"floe {floe.version()} from {floe._ffi.lib._name}")
        print(rows)
        return 0 if rows == [{"id": 1, "amount": 1.5, "name": "a"}, {"id": 2, "amount": 2.5, "name": "b"}] else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
