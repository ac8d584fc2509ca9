package floe_test

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"floe.invalid/floe"
)

const definition = `{"name": "user_txn", "version": 1, "entity": ["entity_id"], "timestamp": "event_time",
 "source": {"table": "demo.events"},
 "features": [{"name": "txn_count_1d", "agg": "count", "window": "1d"},
              {"name": "amount_sum_1d", "agg": "sum", "column": "amount", "window": "1d"}]}`

const entities, eventsPerDay, days = 25, 3, 3

// eventsWarehouse opens a warehouse holding demo.events (3 days of generated events) and the definition file;
// sums[entity][day] is the sum of that entity's amounts that day.
func eventsWarehouse(t *testing.T) (*floe.Warehouse, string, string, map[int]map[int]float64) {
	t.Helper()
	w, dir := openTemp(t)
	ok(t, w.CreateTable("demo.events", "entity_id:long not null,event_time:timestamptz not null,amount:double,category:string", "day(event_time)"))
	var b strings.Builder
	b.WriteString("entity_id,event_time,amount,category\n")
	sums := map[int]map[int]float64{}
	for day := 1; day <= days; day++ {
		for e := 0; e < entities; e++ {
			if sums[e] == nil {
				sums[e] = map[int]float64{}
			}
			for k := 0; k < eventsPerDay; k++ {
				amount := 1 + (e*7+k*3+day)%40
				sums[e][day] += float64(amount)
				fmt.Fprintf(&b, "%d,2024-01-%02dT%02d:%02d:00Z,%d,c%d\n", e, day, 2+6*k, e, amount, k)
			}
		}
	}
	res := must(w.Ingest("demo.events", writeFile(t, dir, "events.csv", b.String()), floe.IngestOptions{}))(t)
	if res.Rows != days*entities*eventsPerDay {
		t.Fatalf("ingested %d rows", res.Rows)
	}
	return w, dir, writeFile(t, dir, "user_txn.json", definition), sums
}

func TestMainJobEndToEnd(t *testing.T) {
	if os.Getenv("DOTNET_ROOT") != "" {
		t.Log("note: DOTNET_ROOT is set; ctest runs this suite without it")
	}
	w, dir, def, sums := eventsWarehouse(t)
	var reports [][3]int64
	summary := must(w.Backfill(context.Background(), floe.BackfillRequest{
		Definition: def, From: "2024-01-01", To: "2024-01-04", Wap: true, CodeVersion: "go-test",
		Progress: func(done, total, rows int64) bool {
			reports = append(reports, [3]int64{done, total, rows})
			return false
		},
	}))(t)
	if summary.Branch != "wap-user_txn" || summary.Days != days || summary.Rows == 0 {
		t.Fatalf("summary %s", summary.Raw)
	}
	if len(reports) == 0 || reports[len(reports)-1][0] != days || reports[len(reports)-1][1] != days {
		t.Fatalf("progress reports %v", reports)
	}

	if _, err := w.Publish("features.user_txn", "wap-user_txn"); !errors.Is(err, floe.ErrValidation) {
		t.Fatalf("publish before audit: %v", err)
	}
	audit := must(w.Audit("features.user_txn", "wap-user_txn", floe.AuditOptions{KeyColumns: []string{"entity_id"}}))(t)
	if !audit.Passed {
		t.Fatalf("audit failed: %s", audit.Raw)
	}
	published := must(w.Publish("features.user_txn", "wap-user_txn"))(t)
	if published.SnapshotID != summary.SnapshotID || published.PreviousMainSnapshotID != nil {
		t.Fatalf("published %+v", published)
	}
	if n := must(w.Count("features.user_txn", ""))(t); n != summary.Rows {
		t.Fatalf("main has %d rows, backfill wrote %d", n, summary.Rows)
	}

	lineage := must(w.Lineage("features.user_txn", floe.LineageSelector{}))(t)
	if len(lineage.Partitions) != days || lineage.Partitions[0].Partition != "2024-01-01" {
		t.Fatalf("lineage %s", lineage.Raw)
	}
	if !strings.Contains(string(lineage.Raw), "go-test") {
		t.Fatalf("lineage lacks the code version: %s", lineage.Raw)
	}

	var spine strings.Builder
	spine.WriteString("entity_id,ts,label\n")
	for e := 0; e < entities; e++ {
		fmt.Fprintf(&spine, "%d,2024-01-02T23:59:00Z,%d\n", e, e%2)
	}
	output := filepath.Join(dir, "train.csv")
	ts := must(w.TrainingSet(floe.TrainingSetRequest{
		Spine: writeFile(t, dir, "spine.csv", spine.String()), Features: []string{"features.user_txn"}, Output: output,
	}))(t)
	if ts.Rows != entities || ts.Groups[0].Matched != entities {
		t.Fatalf("training set %s", ts.Raw)
	}
	f, err := os.Open(output)
	ok(t, err)
	defer f.Close()
	records, err := csv.NewReader(f).ReadAll()
	ok(t, err)
	col := map[string]int{}
	for i, name := range records[0] {
		col[name] = i
	}
	for _, r := range records[1:] {
		e, _ := strconv.Atoi(r[col["entity_id"]])
		sum, _ := strconv.ParseFloat(r[col["amount_sum_1d"]], 64)
		if sum != sums[e][2] {
			t.Fatalf("entity %d: amount_sum_1d %v, expected %v", e, sum, sums[e][2])
		}
	}
	if len(records) != entities+1 {
		t.Fatalf("%d training rows", len(records)-1)
	}
}

func TestBackfillContextCancelLeavesMainUntouched(t *testing.T) {
	w, _, def, _ := eventsWarehouse(t)
	// A code version is given: without one the library asks git about the definition's folder, and ctest's
	// TMPDIR lies inside this repository's (large) work tree.
	must(w.Backfill(context.Background(), floe.BackfillRequest{Definition: def, From: "2024-01-01", To: "2024-01-02", CodeVersion: "v1"}))(t)
	before := must(w.Snapshots("features.user_txn"))(t)

	ctx, cancel := context.WithCancel(context.Background())
	calls := 0
	_, err := w.Backfill(ctx, floe.BackfillRequest{
		Definition: def, From: "2024-01-01", To: "2024-01-04", CodeVersion: "v2",
		Progress: func(done, total, rows int64) bool { calls++; cancel(); return false },
	})
	if !errors.Is(err, floe.ErrCancelled) || !errors.Is(err, context.Canceled) {
		t.Fatalf("expected a cancellation, got %v", err)
	}
	var fe *floe.Error
	if !errors.As(err, &fe) || fe.Code != floe.CodeCancelled {
		t.Fatalf("not a *floe.Error with CodeCancelled: %v", err)
	}
	if calls != 1 {
		t.Fatalf("progress called %d times", calls)
	}
	after := must(w.Snapshots("features.user_txn"))(t)
	if len(after) != len(before) || after[len(after)-1].SnapshotID != before[len(before)-1].SnapshotID {
		t.Fatalf("main moved: %v -> %v", before, after)
	}

	// An already-cancelled context never starts the run.
	if _, err := w.Backfill(ctx, floe.BackfillRequest{Definition: def, From: "2024-01-01", To: "2024-01-02"}); !errors.Is(err, context.Canceled) {
		t.Fatalf("expected context.Canceled, got %v", err)
	}
}

func TestBadRequestsAreInvalidArg(t *testing.T) {
	w, dir, def, _ := eventsWarehouse(t)
	_, err := w.Backfill(context.Background(), floe.BackfillRequest{Definition: def, From: "yesterday", To: "2024-01-02"})
	if !errors.Is(err, floe.ErrInvalidArg) || !strings.Contains(err.Error(), `"from"`) {
		t.Fatalf("bad from: %v", err)
	}
	_, err = w.Backfill(context.Background(), floe.BackfillRequest{Definition: def, From: "2024-01-01", To: "2024-01-02", CommitEvery: -1})
	if !errors.Is(err, floe.ErrInvalidArg) || !strings.Contains(err.Error(), `"commit_every"`) {
		t.Fatalf("bad commit_every: %v", err)
	}
	_, err = w.TrainingSet(floe.TrainingSetRequest{Spine: filepath.Join(dir, "none.csv"), Output: filepath.Join(dir, "o.csv")})
	if !errors.Is(err, floe.ErrInvalidArg) || !strings.Contains(err.Error(), `"features"`) {
		t.Fatalf("no features: %v", err)
	}
	if _, err := w.Lineage("db.nosuch", floe.LineageSelector{}); !errors.Is(err, floe.ErrNotFound) {
		t.Fatalf("lineage of a missing table: %v", err)
	}
}
