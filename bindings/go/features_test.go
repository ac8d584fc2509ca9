package floe_test

import (
	"encoding/binary"
	"errors"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"
	"unsafe"

	"floe.invalid/floe"
	"floe.invalid/floe/internal/capi"
)

const featureDefinition = `{"name": "user_txn", "version": 1, "entity": ["entity_id"], "timestamp": "event_time",
 "source": {"table": "demo.nowhere"},
 "features": [{"name": "txn_count_1d", "agg": "count", "window": "1d"},
              {"name": "amount_sum_1d", "agg": "sum", "column": "amount", "window": "1d"}]}`

// Entity 1: two events an hour apart (the second sees both in its 1-day window), one two days later with a null
// amount; entity 2: one event, then one on the 9th.
func featureEvents() floe.RecordBatch {
	return floe.RecordBatch{Columns: []floe.ArrowColumn{
		floe.Int64s("entity_id", []int64{1, 1, 2, 1, 2}, nil),
		floe.TimestampTZs("event_time", []time.Time{ts("2024-01-01T01:00:00Z"), ts("2024-01-01T02:00:00Z"),
			ts("2024-01-01T03:00:00Z"), ts("2024-01-03T05:00:00Z"), ts("2024-01-09T00:00:00Z")}, nil),
		floe.Float64s("amount", []float64{1, 2, 5, 0, 8}, []bool{true, true, true, false, true}),
	}}
}

// featureRows is (entity, time, count, sum) per output row, by entity then time.
func featureRows(t *testing.T, table *floe.Table) [][]any {
	t.Helper()
	var out [][]any
	for _, row := range table.Rows() {
		out = append(out, []any{row["entity_id"], row["event_time"], row["txn_count_1d"], row["amount_sum_1d"]})
	}
	sort.Slice(out, func(a, b int) bool {
		if out[a][0].(int64) != out[b][0].(int64) {
			return out[a][0].(int64) < out[b][0].(int64)
		}
		return out[a][1].(time.Time).Before(out[b][1].(time.Time))
	})
	return out
}

func TestValidateFeatures(t *testing.T) {
	dir := t.TempDir()
	good := must(floe.ValidateFeatures(writeFile(t, dir, "good.json", featureDefinition)))(t)
	if !good.Valid || len(good.Errors) != 0 {
		t.Fatalf("good definition: %+v", good)
	}
	bad := must(floe.ValidateFeatures(writeFile(t, dir, "bad.json", strings.Replace(featureDefinition, `"sum"`, `"no_such_agg"`, 1))))(t)
	if bad.Valid || len(bad.Errors) != 1 || !strings.Contains(bad.Errors[0], "no_such_agg") {
		t.Fatalf("bad definition: %+v", bad)
	}
	_, err := floe.ValidateFeatures(filepath.Join(dir, "missing.json"))
	if !errors.Is(err, floe.ErrNotFound) || !strings.Contains(err.Error(), "missing.json") {
		t.Fatalf("missing file: %v", err)
	}
}

func TestComputeFeaturesOverGoSlicesGivesTheHandComputedWindows(t *testing.T) {
	def := writeFile(t, t.TempDir(), "def.json", featureDefinition)
	out := must(floe.ComputeFeatures(def, []floe.RecordBatch{featureEvents()}, "2024-01-01", "2024-01-05"))(t)
	names := []string{}
	for _, c := range out.Columns {
		names = append(names, c.Name)
	}
	if !reflect.DeepEqual(names, []string{"entity_id", "event_time", "txn_count_1d", "amount_sum_1d"}) {
		t.Fatalf("columns %v", names)
	}
	want := [][]any{
		{int64(1), ts("2024-01-01T01:00:00Z"), int64(1), 1.0},
		{int64(1), ts("2024-01-01T02:00:00Z"), int64(2), 3.0},
		{int64(1), ts("2024-01-03T05:00:00Z"), int64(1), nil},
		{int64(2), ts("2024-01-01T03:00:00Z"), int64(1), 5.0},
	}
	if got := featureRows(t, out); !reflect.DeepEqual(got, want) {
		t.Fatalf("features:\n got %v\nwant %v", got, want)
	}
}

func TestComputeFeaturesFromAScanMatchesTheInMemoryRun(t *testing.T) {
	w, dir := openTemp(t)
	def := writeFile(t, dir, "def.json", featureDefinition)
	ok(t, w.CreateTable("demo.events", "entity_id:long not null,event_time:timestamptz not null,amount:double", "day(event_time)"))
	must(w.IngestArrow("demo.events", []floe.RecordBatch{featureEvents()}, floe.IngestOptions{}))(t)

	fromScan := must(w.ComputeFeaturesFromScan(def, "demo.events", floe.ScanOptions{}, "2024-01-01", "2024-01-10"))(t)
	inMemory := must(floe.ComputeFeatures(def, []floe.RecordBatch{featureEvents()}, "2024-01-01", "2024-01-10"))(t)
	if fromScan.NumRows != 5 || !reflect.DeepEqual(featureRows(t, fromScan), featureRows(t, inMemory)) {
		t.Fatalf("from scan %v, in memory %v", featureRows(t, fromScan), featureRows(t, inMemory))
	}
	// The scan's options apply: only entity 2's events.
	only2 := must(w.ComputeFeaturesFromScan(def, "demo.events", floe.ScanOptions{Filter: "entity_id = 2"}, "2024-01-01", "2024-01-10"))(t)
	if got := featureRows(t, only2); !reflect.DeepEqual(got, [][]any{
		{int64(2), ts("2024-01-01T03:00:00Z"), int64(1), 5.0}, {int64(2), ts("2024-01-09T00:00:00Z"), int64(1), 8.0}}) {
		t.Fatalf("entity 2: %v", got)
	}
}

func TestComputeFeaturesErrors(t *testing.T) {
	w, dir := openTemp(t)
	def := writeFile(t, dir, "def.json", featureDefinition)
	noAmount := floe.RecordBatch{Columns: featureEvents().Columns[:2]}
	_, err := floe.ComputeFeatures(def, []floe.RecordBatch{noAmount}, "2024-01-01", "2024-01-05")
	if !errors.Is(err, floe.ErrInvalidData) || !strings.Contains(err.Error(), "amount") {
		t.Fatalf("definition that does not fit: %v", err)
	}
	if _, err = floe.ComputeFeatures(def, []floe.RecordBatch{featureEvents()}, "not a date", "2024-01-05"); !errors.Is(err, floe.ErrInvalidArg) {
		t.Fatalf("bad from: %v", err)
	}
	if _, err = floe.ComputeFeatures(filepath.Join(dir, "nosuch.json"), []floe.RecordBatch{featureEvents()}, "2024-01-01", "2024-01-05"); !errors.Is(err, floe.ErrNotFound) {
		t.Fatalf("missing definition: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "nosuch.json")); !os.IsNotExist(err) {
		t.Fatalf("the missing definition was created: %v", err)
	}
	if _, err = w.ComputeFeaturesFromScan(def, "demo.nosuch", floe.ScanOptions{}, "2024-01-01", "2024-01-05"); !errors.Is(err, floe.ErrNotFound) {
		t.Fatalf("unknown table: %v", err)
	}
}

// A stream the caller built is moved into the computation: released by the call, success or failure.
func TestComputeFeaturesStreamMovesTheStream(t *testing.T) {
	def := writeFile(t, t.TempDir(), "def.json", featureDefinition)
	build := func() *capi.ArrowArrayStream {
		ids, micros, amounts := make([]byte, 8), make([]byte, 8), make([]byte, 8)
		binary.LittleEndian.PutUint64(ids, 4)
		binary.LittleEndian.PutUint64(micros, uint64(ts("2024-01-01T00:00:00Z").UnixMicro()))
		binary.LittleEndian.PutUint64(amounts, math.Float64bits(2))
		stream, rc := capi.BuildStream([]string{"entity_id", "event_time", "amount"}, []string{"l", "tsu:UTC", "g"},
			[]int64{1}, [][]capi.ColumnBuffers{{{Values: ids}, {Values: micros}, {Values: amounts}}})
		if rc != 0 {
			t.Fatalf("BuildStream: %d", rc)
		}
		return stream
	}
	stream := build()
	defer capi.StreamFree(stream)
	out := must(floe.ComputeFeaturesStream(def, unsafe.Pointer(stream), "2024-01-01", "2024-01-02"))(t)
	if got := featureRows(t, out); !reflect.DeepEqual(got, [][]any{{int64(4), ts("2024-01-01T00:00:00Z"), int64(1), 2.0}}) {
		t.Fatalf("features %v", got)
	}
	if !capi.StreamReleased(stream) {
		t.Fatal("the events stream is still live")
	}
	failing := build()
	defer capi.StreamFree(failing)
	if _, err := floe.ComputeFeaturesStream(def, unsafe.Pointer(failing), "2024-01-02", "bad"); !errors.Is(err, floe.ErrInvalidArg) {
		t.Fatalf("bad to: %v", err)
	}
	if !capi.StreamReleased(failing) {
		t.Fatal("a failed call left the events stream live")
	}
}
