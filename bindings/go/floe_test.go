package floe_test

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"floe.invalid/floe"
)

const schema = "id:long not null,amount:double,name:string,ok:boolean,ts:timestamptz"

const rows = "id,amount,name,ok,ts\n" +
	"1,1.5,alpha,true,2024-01-01T00:00:00Z\n" +
	"2,2.25,beta,false,2024-01-02T00:00:00Z\n" +
	"3,,gamma,true,2024-01-03T00:00:00Z\n"

func openTemp(t *testing.T) (*floe.Warehouse, string) {
	t.Helper()
	dir := t.TempDir()
	w, err := floe.Open(filepath.Join(dir, "wh"))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { w.Close() })
	return w, dir
}

func writeFile(t *testing.T, dir, name, text string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// must(f())(t) is f's value, failing t when f returned an error.
func must[T any](v T, err error) func(t *testing.T) T {
	return func(t *testing.T) T {
		t.Helper()
		ok(t, err)
		return v
	}
}

func ok(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("unexpected error: %v", err)
	}
}

func count(t *testing.T, w *floe.Warehouse, table, filter string) int64 {
	t.Helper()
	return must(w.Count(table, filter))(t)
}

func TestVersion(t *testing.T) {
	if got := floe.Version(); got != "0.1.0" {
		t.Fatalf("Version() = %q", got)
	}
}

func TestOpenPathAndClose(t *testing.T) {
	dir := t.TempDir()
	w := must(floe.Open(filepath.Join(dir, "a", "wh")))(t)
	path := must(w.Path())(t)
	if path != filepath.Join(dir, "a", "wh") {
		t.Fatalf("Path() = %q", path)
	}
	if _, err := os.Stat(filepath.Join(path, "catalog.db")); err != nil {
		t.Fatalf("catalog.db: %v", err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	_, err := w.Path()
	if !errors.Is(err, floe.ErrInvalidHandle) {
		t.Fatalf("Path after Close: %v", err)
	}
	if _, err := floe.Open(""); !errors.Is(err, floe.ErrInvalidArg) {
		t.Fatalf("Open(\"\"): %v", err)
	}
}

func TestCreateDescribeList(t *testing.T) {
	w, _ := openTemp(t)
	if err := w.CreateTable("db.events", schema, ""); err != nil {
		t.Fatal(err)
	}
	if err := w.CreateTable("db.daily", schema, "day(ts)"); err != nil {
		t.Fatal(err)
	}
	info := must(w.Describe("db.events"))(t)
	if info.Name != "db.events" || info.FormatVersion != 2 || info.CurrentSnapshotID != nil {
		t.Fatalf("Describe = %+v", info)
	}
	if !strings.Contains(string(must(w.Describe("db.daily"))(t).Raw), "day") {
		t.Fatalf("partition spec missing from the description")
	}
	tables := must(w.Tables())(t)
	sort.Strings(tables)
	if strings.Join(tables, ",") != "db.daily,db.events" {
		t.Fatalf("Tables() = %v", tables)
	}
}

func TestIngestCountSnapshotsScan(t *testing.T) {
	w, dir := openTemp(t)
	ok(t, w.CreateTable("db.events", schema, ""))
	result := must(w.Ingest("db.events", writeFile(t, dir, "a.csv", rows), floe.IngestOptions{}))(t)
	if result.Rows != 3 || result.Operation != "append" || result.SnapshotID == 0 {
		t.Fatalf("Ingest = %+v", result)
	}
	if n := count(t, w, "db.events", ""); n != 3 {
		t.Fatalf("Count = %d", n)
	}
	if n := count(t, w, "db.events", "id >= 2"); n != 2 {
		t.Fatalf("Count(id >= 2) = %d", n)
	}
	snapshots := must(w.Snapshots("db.events"))(t)
	if len(snapshots) != 1 || snapshots[0].SnapshotID != result.SnapshotID {
		t.Fatalf("Snapshots = %+v", snapshots)
	}
	if id := must(w.Describe("db.events"))(t).CurrentSnapshotID; id == nil || *id != result.SnapshotID {
		t.Fatalf("current snapshot = %v", id)
	}

	table := must(w.Scan("db.events", floe.ScanOptions{}))(t)
	if table.NumRows != 3 {
		t.Fatalf("NumRows = %d", table.NumRows)
	}
	got := table.Rows()
	sort.Slice(got, func(i, j int) bool { return got[i]["id"].(int64) < got[j]["id"].(int64) })
	if got[0]["amount"] != 1.5 || got[1]["amount"] != 2.25 || got[2]["amount"] != nil {
		t.Fatalf("amounts: %v %v %v", got[0]["amount"], got[1]["amount"], got[2]["amount"])
	}
	if got[0]["name"] != "alpha" || got[2]["name"] != "gamma" || got[1]["ok"] != false || got[2]["ok"] != true {
		t.Fatalf("rows: %v", got)
	}
	if ts := got[1]["ts"].(time.Time); !ts.Equal(time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("ts = %v", ts)
	}
	if f := table.Column("ts").Format; f != "tsu:UTC" {
		t.Fatalf("ts format %q", f)
	}

	projected := must(w.Scan("db.events", floe.ScanOptions{Columns: []string{"id"}, Filter: "id > 1"}))(t)
	if len(projected.Columns) != 1 || projected.NumRows != 2 {
		t.Fatalf("projected: %d columns, %d rows", len(projected.Columns), projected.NumRows)
	}
	old := must(w.Scan("db.events", floe.ScanOptions{SnapshotID: result.SnapshotID}))(t)
	if old.NumRows != 3 {
		t.Fatalf("scan at snapshot: %d rows", old.NumRows)
	}
}

func TestAggregate(t *testing.T) {
	w, dir := openTemp(t)
	ok(t, w.CreateTable("db.events", schema, ""))
	must(w.Ingest("db.events", writeFile(t, dir, "a.csv", rows), floe.IngestOptions{}))(t)
	result := must(w.Aggregate("db.events", "count(*), sum(id), max(amount), min(ts), count(amount)", ""))(t)
	got := map[string]string{}
	for _, a := range result.Aggregates {
		got[a.Name] = fmt.Sprint(a.Value)
	}
	want := map[string]string{"count(*)": "3", "sum(id)": "6", "max(amount)": "2.25", "min(ts)": "2024-01-01T00:00:00Z", "count(amount)": "2"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Aggregate = %v, want %v", got, want)
	}
	if result.SnapshotID == nil || result.DataFiles != 1 {
		t.Fatalf("snapshot %v, %d data files", result.SnapshotID, result.DataFiles)
	}
	filtered := must(w.Aggregate("db.events", "avg(id)", "id >= 2"))(t)
	if v := fmt.Sprint(filtered.Aggregates[0].Value); v != "2.5" {
		t.Fatalf("avg(id) where id >= 2 = %s", v)
	}
	var floeErr *floe.Error
	if _, err := w.Aggregate("db.events", "median(id)", ""); !errors.As(err, &floeErr) || floeErr.Code != floe.CodeInvalidArg {
		t.Fatalf("median: %v", err)
	}
}

func TestOverwritePartitions(t *testing.T) {
	w, dir := openTemp(t)
	ok(t, w.CreateTable("db.daily", schema, "day(ts)"))
	must(w.Ingest("db.daily", writeFile(t, dir, "a.csv", rows), floe.IngestOptions{}))(t)
	replacement := "id,amount,name,ok,ts\n20,9.0,x,true,2024-01-02T05:00:00Z\n21,9.5,y,true,2024-01-02T06:00:00Z\n"
	r := must(w.Ingest("db.daily", writeFile(t, dir, "b.csv", replacement),
		floe.IngestOptions{Mode: floe.OverwritePartitions, Properties: map[string]string{"job": "backfill-1"}}))(t)
	if r.Summary["job"] != "backfill-1" {
		t.Fatalf("summary = %v", r.Summary)
	}
	// Day 2024-01-02 (id 2) is replaced by ids 20 and 21; the other days stay.
	if n := count(t, w, "db.daily", ""); n != 4 {
		t.Fatalf("rows after overwrite = %d", n)
	}
	if n := count(t, w, "db.daily", "id = 2"); n != 0 {
		t.Fatalf("id 2 survived the overwrite")
	}
}

func TestWriteAuditPublish(t *testing.T) {
	w, dir := openTemp(t)
	ok(t, w.CreateTable("db.events", schema, ""))
	must(w.Ingest("db.events", writeFile(t, dir, "a.csv", rows), floe.IngestOptions{}))(t)
	ok(t, w.CreateBranch("db.events", "staging", ""))
	more := "id,amount,name,ok,ts\n10,1.0,x,true,2024-02-01T00:00:00Z\n11,-2.0,y,false,2024-02-02T00:00:00Z\n"
	staged := must(w.Ingest("db.events", writeFile(t, dir, "b.csv", more), floe.IngestOptions{Branch: "staging"}))(t)
	// Audit: main is untouched, the branch holds the new rows.
	if n := count(t, w, "db.events", ""); n != 3 {
		t.Fatalf("main before publish = %d", n)
	}
	onBranch := must(w.Scan("db.events", floe.ScanOptions{Ref: "staging", Filter: "amount < 0"}))(t)
	if onBranch.NumRows != 1 || onBranch.Column("id").Values[0] != int64(11) {
		t.Fatalf("audit scan = %+v", onBranch)
	}
	// Publish.
	ok(t, w.FastForward("db.events", "main", "staging"))
	if n := count(t, w, "db.events", ""); n != 5 {
		t.Fatalf("main after publish = %d", n)
	}
	if id := must(w.Describe("db.events"))(t).CurrentSnapshotID; *id != staged.SnapshotID {
		t.Fatalf("main head %d, staged %d", *id, staged.SnapshotID)
	}
	// Diverged histories are not a fast-forward.
	must(w.Ingest("db.events", writeFile(t, dir, "c.csv", rows), floe.IngestOptions{}))(t)
	must(w.Ingest("db.events", writeFile(t, dir, "d.csv", rows), floe.IngestOptions{Branch: "staging"}))(t)
	if err := w.FastForward("db.events", "main", "staging"); !errors.Is(err, floe.ErrValidation) {
		t.Fatalf("diverged fast-forward: %v", err)
	}
}

func TestErrorsCarryCodeAndMessage(t *testing.T) {
	w, dir := openTemp(t)
	ok(t, w.CreateTable("db.events", schema, ""))

	_, err := w.Describe("db.nosuch")
	var fe *floe.Error
	if !errors.As(err, &fe) || !errors.Is(err, floe.ErrNotFound) || errors.Is(err, floe.ErrExists) {
		t.Fatalf("Describe(nosuch): %v", err)
	}
	if fe.Code != floe.CodeNotFound || fe.Category != "not_found" || !strings.Contains(fe.Message, "db.nosuch") {
		t.Fatalf("error fields: %+v", fe)
	}
	if err := w.CreateTable("db.bad", "id:notatype", ""); !errors.Is(err, floe.ErrInvalidArg) {
		t.Fatalf("bad schema: %v", err)
	}
	if err := w.CreateTable("db.events", schema, ""); !errors.Is(err, floe.ErrExists) {
		t.Fatalf("duplicate table: %v", err)
	}
	if _, err := w.Scan("db.events", floe.ScanOptions{Ref: "nosuch"}); !errors.Is(err, floe.ErrNotFound) {
		t.Fatalf("unknown ref: %v", err)
	}
	if _, err := w.Count("db.events", "id >>> 1"); !errors.Is(err, floe.ErrInvalidArg) {
		t.Fatalf("bad filter: %v", err)
	}
	bad := writeFile(t, dir, "bad.csv", "id,amount\nnot-a-number,1\n")
	if _, err := w.Ingest("db.events", bad, floe.IngestOptions{}); !errors.Is(err, floe.ErrInvalidData) {
		t.Fatalf("bad data: %v", err)
	}
	if _, err := w.Ingest("db.events", filepath.Join(dir, "missing.csv"), floe.IngestOptions{}); !errors.Is(err, floe.ErrNotFound) {
		t.Fatalf("missing file: %v", err)
	}
	if n := count(t, w, "db.events", ""); n != 0 {
		t.Fatalf("failed ingests left %d rows", n)
	}
}

func TestConcurrentCallsOnOneWarehouse(t *testing.T) {
	w, dir := openTemp(t)
	ok(t, w.CreateTable("db.events", schema, ""))
	must(w.Ingest("db.events", writeFile(t, dir, "a.csv", rows), floe.IngestOptions{}))(t)
	var wg sync.WaitGroup
	failures := make(chan error, 64)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 10; i++ {
				if n, err := w.Count("db.events", "id >= 2"); err != nil || n != 2 {
					failures <- err
					return
				}
				if _, err := w.Describe("db.nosuch"); !errors.Is(err, floe.ErrNotFound) {
					failures <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(failures)
	for err := range failures {
		t.Fatalf("concurrent call failed: %v", err)
	}
}

// TestReadmeExample runs the first ```go block of README.md as a program against this module. `cmake --build`
// compiles it beforehand (readme_example.cmake writes the block as main.go into FLOE_GO_README_EXAMPLE, then
// `go build`), so the test only runs it, once it has checked that main.go is the README's block as it stands;
// without that folder, or when the README changed since, the test compiles the block itself with `go run`.
func TestReadmeExample(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	text := string(readme)
	start := strings.Index(text, "```go\n")
	if start < 0 {
		t.Fatal("README.md has no go block")
	}
	body := text[start+len("```go\n"):]
	body = body[:strings.Index(body, "```")]

	var cmd *exec.Cmd
	if built := os.Getenv("FLOE_GO_README_EXAMPLE"); built != "" && builtFrom(t, built, body) {
		cmd = exec.Command(filepath.Join(built, "readme-example"))
		cmd.Dir = t.TempDir()
	} else {
		here, err := os.Getwd()
		if err != nil {
			t.Fatal(err)
		}
		dir := t.TempDir()
		writeFile(t, dir, "main.go", body)
		writeFile(t, dir, "go.mod", "module example\n\ngo 1.19\n\nrequire floe.invalid/floe v0.0.0\n\nreplace floe.invalid/floe => "+here+"\n")
		cmd = exec.Command(filepath.Join(runtime.GOROOT(), "bin", "go"), "run", ".")
		cmd.Dir = dir
	}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("README example: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "rows of entity 1 on main: 2\n") || !strings.Contains(string(out), "not found: floe: ") {
		t.Fatalf("unexpected output:\n%s", out)
	}
}

// builtFrom reports whether the program compiled in dir (readme-example) was built from body: its main.go is body
// byte for byte. A folder without them, or one from an older README, is reported and left to `go run`.
func builtFrom(t *testing.T, dir, body string) bool {
	t.Helper()
	source, err := os.ReadFile(filepath.Join(dir, "main.go"))
	if err != nil {
		t.Logf("FLOE_GO_README_EXAMPLE: %v; compiling the README block with go run", err)
		return false
	}
	if string(source) != body {
		t.Logf("FLOE_GO_README_EXAMPLE: %s/main.go is not README.md's block (README changed since the build); compiling it with go run", dir)
		return false
	}
	if _, err := os.Stat(filepath.Join(dir, "readme-example")); err != nil {
		t.Logf("FLOE_GO_README_EXAMPLE: %v; compiling the README block with go run", err)
		return false
	}
	return true
}
