package floe_test

import (
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"
	"unsafe"

	"floe.invalid/floe"
	"floe.invalid/floe/internal/capi"
)

func ts(text string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, text)
	if err != nil {
		panic(err)
	}
	return t.UTC()
}

// eventBatch builds rows of "id:long not null,amount:double,name:string,ok:boolean,ts:timestamptz"; ok is id even.
func eventBatch(ids []int64, amounts []float64, amountValid []bool, names []string, nameValid []bool, times []time.Time, timeValid []bool) floe.RecordBatch {
	ok := make([]bool, len(ids))
	for i, id := range ids {
		ok[i] = id%2 == 0
	}
	return floe.RecordBatch{Columns: []floe.ArrowColumn{
		floe.Int64s("id", ids, nil),
		floe.Float64s("amount", amounts, amountValid),
		floe.Strings("name", names, nameValid),
		floe.Bools("ok", ok, nil),
		floe.TimestampTZs("ts", times, timeValid),
	}}
}

func rowsByID(t *testing.T, table *floe.Table) [][]any {
	t.Helper()
	rows := make([][]any, table.NumRows)
	for r := range rows {
		for _, c := range table.Columns {
			rows[r] = append(rows[r], c.Values[r])
		}
	}
	sort.Slice(rows, func(a, b int) bool { return rows[a][0].(int64) < rows[b][0].(int64) })
	return rows
}

func TestIngestArrowCommitsOnceAndScanReadsBack(t *testing.T) {
	w, _ := openTemp(t)
	ok(t, w.CreateTable("db.events", schema, "day(ts)"))
	first := eventBatch([]int64{1, 2, 3}, []float64{1.5, 0, 3.25}, []bool{true, false, true},
		[]string{"alpha", "", "gämma ✓"}, []bool{true, false, true},
		[]time.Time{ts("2024-01-01T10:00:00Z"), ts("2024-01-01T11:30:00.123456Z"), ts("2024-01-02T00:00:00Z")}, nil)
	second := eventBatch([]int64{4, 5}, []float64{4, 5}, nil, []string{"", "epsilon"}, nil,
		[]time.Time{{}, ts("2024-01-03T23:59:59Z")}, []bool{false, true})

	result := must(w.IngestArrow("db.events", []floe.RecordBatch{first, second}, floe.IngestOptions{}))(t)

	if result.Rows != 5 || result.Operation != "append" {
		t.Fatalf("IngestArrow = %+v", result)
	}
	if snaps := must(w.Snapshots("db.events"))(t); len(snaps) != 1 {
		t.Fatalf("%d snapshots, want 1", len(snaps))
	}
	got := rowsByID(t, must(w.Scan("db.events", floe.ScanOptions{}))(t))
	want := [][]any{
		{int64(1), 1.5, "alpha", false, ts("2024-01-01T10:00:00Z")},
		{int64(2), nil, nil, true, ts("2024-01-01T11:30:00.123456Z")},
		{int64(3), 3.25, "gämma ✓", false, ts("2024-01-02T00:00:00Z")},
		{int64(4), 4.0, "", true, nil},
		{int64(5), 5.0, "epsilon", false, ts("2024-01-03T23:59:59Z")},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("scan:\n got %v\nwant %v", got, want)
	}
	if n := count(t, w, "db.events", "ok = true"); n != 2 {
		t.Fatalf("ok = true: %d rows", n)
	}
}

func TestIngestArrowManyRowsInManyBatchesKeepEveryValue(t *testing.T) {
	w, _ := openTemp(t)
	ok(t, w.CreateTable("db.big", "id:long not null,amount:double,name:string", ""))
	const rows = 50000
	var batches []floe.RecordBatch
	var idSum, nulls int64
	for b := 0; b < 4; b++ {
		ids, amounts := make([]int64, rows), make([]float64, rows)
		valid, names, named := make([]bool, rows), make([]string, rows), make([]bool, rows)
		for i := range ids {
			id := int64(b*rows + i)
			ids[i], amounts[i], valid[i] = id, float64(id)*0.25, id%7 != 0
			names[i], named[i] = fmt.Sprintf("n%d", id), id%5 != 0
			idSum += id
			if !valid[i] {
				nulls++
			}
		}
		batches = append(batches, floe.RecordBatch{Columns: []floe.ArrowColumn{
			floe.Int64s("id", ids, nil), floe.Float64s("amount", amounts, valid), floe.Strings("name", names, named)}})
	}
	if res := must(w.IngestArrow("db.big", batches, floe.IngestOptions{}))(t); res.Rows != 4*rows {
		t.Fatalf("rows %d", res.Rows)
	}
	if n := count(t, w, "db.big", "amount is null"); n != nulls {
		t.Fatalf("amount is null: %d, want %d", n, nulls)
	}
	if n := count(t, w, "db.big", "name is null"); n != 4*rows/5 {
		t.Fatalf("name is null: %d", n)
	}
	agg := must(w.Aggregate("db.big", "sum(id),count(*)", ""))(t)
	if fmt.Sprint(agg.Aggregates[0].Value) != fmt.Sprint(idSum) || fmt.Sprint(agg.Aggregates[1].Value) != fmt.Sprint(4*rows) {
		t.Fatalf("aggregates %+v, want sum %d", agg.Aggregates, idSum)
	}
	if n := count(t, w, "db.big", "name = 'n199999' and amount = 49999.75"); n != 1 {
		t.Fatalf("last row: %d", n)
	}
}

func TestIngestArrowOverwritesOnlyTheTouchedPartitionsAndHonoursBranches(t *testing.T) {
	w, _ := openTemp(t)
	ok(t, w.CreateTable("db.events", schema, "day(ts)"))
	must(w.IngestArrow("db.events", []floe.RecordBatch{eventBatch([]int64{1, 2, 3}, []float64{1, 2, 3}, nil,
		[]string{"a", "b", "c"}, nil,
		[]time.Time{ts("2024-01-01T01:00:00Z"), ts("2024-01-01T02:00:00Z"), ts("2024-01-02T01:00:00Z")}, nil)},
		floe.IngestOptions{}))(t)

	over := must(w.IngestArrow("db.events", []floe.RecordBatch{eventBatch([]int64{10}, []float64{10}, nil,
		[]string{"new"}, nil, []time.Time{ts("2024-01-01T05:00:00Z")}, nil)},
		floe.IngestOptions{Mode: floe.OverwritePartitions}))(t)
	if over.Operation != "overwrite" {
		t.Fatalf("operation %q", over.Operation)
	}
	ids := must(w.Scan("db.events", floe.ScanOptions{Columns: []string{"id"}}))(t).Column("id").Values
	sort.Slice(ids, func(a, b int) bool { return ids[a].(int64) < ids[b].(int64) })
	if !reflect.DeepEqual(ids, []any{int64(3), int64(10)}) {
		t.Fatalf("ids after overwrite: %v", ids)
	}

	staged := must(w.IngestArrow("db.events", []floe.RecordBatch{eventBatch([]int64{7}, []float64{7}, nil,
		[]string{"x"}, nil, []time.Time{ts("2024-02-01T00:00:00Z")}, nil)},
		floe.IngestOptions{Branch: "staging", Properties: map[string]string{"source": "go-arrow"}}))(t)
	if staged.Summary["source"] != "go-arrow" {
		t.Fatalf("summary %v", staged.Summary)
	}
	if n := count(t, w, "db.events", ""); n != 2 {
		t.Fatalf("main has %d rows, want 2", n)
	}
	if n := must(w.Scan("db.events", floe.ScanOptions{Ref: "staging"}))(t).NumRows; n != 3 {
		t.Fatalf("staging has %d rows, want 3", n)
	}
}

func TestIngestArrowEveryColumnKindRoundTrips(t *testing.T) {
	w, _ := openTemp(t)
	ok(t, w.CreateTable("db.types", "i:int,f:float,d:date,t:timestamp,b:binary", ""))
	batch := floe.RecordBatch{Columns: []floe.ArrowColumn{
		floe.Int32s("i", []int32{-7, 0}, []bool{true, false}),
		floe.Float32s("f", []float32{0.5, -1.25}, nil),
		floe.Dates("d", []time.Time{ts("2024-02-29T23:00:00Z"), ts("1969-12-31T12:00:00Z")}, nil),
		floe.Timestamps("t", []time.Time{ts("1970-01-01T00:00:01.000001Z"), {}}, []bool{true, false}),
		floe.Binaries("b", [][]byte{{0, 0xff}, nil}, []bool{true, false}),
	}}
	must(w.IngestArrow("db.types", []floe.RecordBatch{batch}, floe.IngestOptions{}))(t)

	table := must(w.Scan("db.types", floe.ScanOptions{}))(t)
	rows := table.Rows()
	sort.Slice(rows, func(a, b int) bool { return rows[a]["i"] != nil })
	want := []map[string]any{
		{"i": int32(-7), "f": float32(0.5), "d": ts("2024-02-29T00:00:00Z"), "t": ts("1970-01-01T00:00:01.000001Z"), "b": []byte{0, 0xff}},
		{"i": nil, "f": float32(-1.25), "d": ts("1969-12-31T00:00:00Z"), "t": nil, "b": nil},
	}
	if !reflect.DeepEqual(rows, want) {
		t.Fatalf("rows:\n got %v\nwant %v", rows, want)
	}
}

func TestIngestArrowBadInputIsRefusedAndCommitsNothing(t *testing.T) {
	w, _ := openTemp(t)
	ok(t, w.CreateTable("db.events", schema, ""))
	good := eventBatch([]int64{1}, []float64{1}, nil, []string{"a"}, nil, []time.Time{ts("2024-01-01T00:00:00Z")}, nil)

	renamed := eventBatch([]int64{1}, []float64{1}, nil, []string{"a"}, nil, []time.Time{ts("2024-01-01T00:00:00Z")}, nil)
	renamed.Columns[2] = floe.Strings("label", []string{"a"}, nil)
	_, err := w.IngestArrow("db.events", []floe.RecordBatch{renamed}, floe.IngestOptions{})
	if !errors.Is(err, floe.ErrInvalidData) || !strings.Contains(err.Error(), "label") {
		t.Fatalf("renamed column: %v", err)
	}

	wrongType := eventBatch([]int64{1}, []float64{1}, nil, []string{"a"}, nil, []time.Time{ts("2024-01-01T00:00:00Z")}, nil)
	wrongType.Columns[0] = floe.Int32s("id", []int32{1}, nil)
	_, err = w.IngestArrow("db.events", []floe.RecordBatch{wrongType}, floe.IngestOptions{})
	if !errors.Is(err, floe.ErrInvalidData) || !strings.Contains(err.Error(), "'id'") {
		t.Fatalf("wrong type: %v", err)
	}

	noZone := eventBatch([]int64{1}, []float64{1}, nil, []string{"a"}, nil, []time.Time{ts("2024-01-01T00:00:00Z")}, nil)
	noZone.Columns[4] = floe.Timestamps("ts", []time.Time{ts("2024-01-01T00:00:00Z")}, nil)
	if _, err = w.IngestArrow("db.events", []floe.RecordBatch{noZone}, floe.IngestOptions{}); !errors.Is(err, floe.ErrInvalidData) {
		t.Fatalf("timestamp without zone for timestamptz: %v", err)
	}

	nullID := eventBatch([]int64{1, 2}, []float64{1, 2}, nil, []string{"a", "b"}, nil,
		[]time.Time{ts("2024-01-01T00:00:00Z"), ts("2024-01-01T00:00:00Z")}, nil)
	nullID.Columns[0] = floe.Int64s("id", []int64{1, 2}, []bool{true, false})
	if _, err = w.IngestArrow("db.events", []floe.RecordBatch{nullID}, floe.IngestOptions{}); err == nil || !strings.Contains(err.Error(), "id") {
		t.Fatalf("null in a required column: %v", err)
	}

	if snaps := must(w.Snapshots("db.events"))(t); len(snaps) != 0 {
		t.Fatalf("%d snapshots after refused ingests", len(snaps))
	}
	if _, err = w.IngestArrow("db.nosuch", []floe.RecordBatch{good}, floe.IngestOptions{}); !errors.Is(err, floe.ErrNotFound) {
		t.Fatalf("unknown table: %v", err)
	}
}

func TestIngestArrowRefusesInconsistentBatchesBeforeTheLibrary(t *testing.T) {
	w, _ := openTemp(t)
	ok(t, w.CreateTable("db.t", "a:long", ""))
	cases := map[string][]floe.RecordBatch{
		"no batch":       nil,
		"no column":      {{}},
		"short column":   {{Columns: []floe.ArrowColumn{floe.Int64s("a", []int64{1, 2}, nil), floe.Float64s("b", []float64{1}, nil)}}},
		"bad validity":   {{Columns: []floe.ArrowColumn{floe.Int64s("a", []int64{1, 2}, []bool{true})}}},
		"schema changes": {{Columns: []floe.ArrowColumn{floe.Int64s("a", []int64{1}, nil)}}, {Columns: []floe.ArrowColumn{floe.Float64s("a", []float64{1}, nil)}}},
	}
	for name, batches := range cases {
		if _, err := w.IngestArrow("db.t", batches, floe.IngestOptions{}); !errors.Is(err, floe.ErrInvalidArg) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if n := count(t, w, "db.t", ""); n != 0 {
		t.Fatalf("%d rows", n)
	}
}

// A stream the caller built is moved: released by the call whatever the result, its struct still the caller's.
func TestIngestArrowStreamMovesTheStream(t *testing.T) {
	w, _ := openTemp(t)
	ok(t, w.CreateTable("db.t", "a:long", ""))
	build := func() *capi.ArrowArrayStream {
		values := make([]byte, 16)
		values[0], values[8] = 7, 9
		stream, rc := capi.BuildStream([]string{"a"}, []string{"l"}, []int64{2}, [][]capi.ColumnBuffers{{{Values: values}}})
		if rc != 0 {
			t.Fatalf("BuildStream: %d", rc)
		}
		return stream
	}
	stream := build()
	defer capi.StreamFree(stream)
	must(w.IngestArrowStream("db.t", unsafe.Pointer(stream), floe.IngestOptions{}))(t)
	if !capi.StreamReleased(stream) {
		t.Fatal("the stream is still live after the call")
	}
	if n := count(t, w, "db.t", "a = 7 or a = 9"); n != 2 {
		t.Fatalf("%d rows", n)
	}
	// A released stream is an invalid argument, not a crash.
	if _, err := w.IngestArrowStream("db.t", unsafe.Pointer(stream), floe.IngestOptions{}); !errors.Is(err, floe.ErrInvalidArg) {
		t.Fatalf("released stream: %v", err)
	}
	failing := build()
	defer capi.StreamFree(failing)
	if _, err := w.IngestArrowStream("db.nosuch", unsafe.Pointer(failing), floe.IngestOptions{}); !errors.Is(err, floe.ErrNotFound) {
		t.Fatalf("unknown table: %v", err)
	}
	if !capi.StreamReleased(failing) {
		t.Fatal("a failed call left the stream live")
	}
	w.Close()
	if _, err := w.IngestArrow("db.t", []floe.RecordBatch{{Columns: []floe.ArrowColumn{floe.Int64s("a", []int64{1}, nil)}}}, floe.IngestOptions{}); !errors.Is(err, floe.ErrInvalidHandle) {
		t.Fatalf("closed warehouse: %v", err)
	}
}
