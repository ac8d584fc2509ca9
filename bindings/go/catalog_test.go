package floe_test

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"syscall"
	"testing"
	"time"

	"floe.invalid/floe"
)

// writeAndReadBack creates db.t through the catalog, writes three rows, and checks that a second handle reads them.
func writeAndReadBack(t *testing.T, dir, catalog, token string) {
	t.Helper()
	w := must(floe.OpenCatalog(dir, catalog, token))(t)
	ok(t, w.CreateTable("db.t", "id:long not null,ts:timestamptz", "day(ts)"))
	batch := floe.RecordBatch{Columns: []floe.ArrowColumn{
		floe.Int64s("id", []int64{1, 2, 3}, nil),
		floe.TimestampTZs("ts", []time.Time{ts("2024-01-02T00:00:00Z"), ts("2024-01-03T00:00:00Z"), ts("2024-01-04T00:00:00Z")}, nil),
	}}
	must(w.IngestArrow("db.t", []floe.RecordBatch{batch}, floe.IngestOptions{}))(t)
	ok(t, w.Close())

	again := must(floe.OpenCatalog(dir, catalog, token))(t)
	defer again.Close()
	if tables := must(again.Tables())(t); !reflect.DeepEqual(tables, []string{"db.t"}) {
		t.Fatalf("tables %v", tables)
	}
	if n := count(t, again, "db.t", ""); n != 3 {
		t.Fatalf("%d rows", n)
	}
	if n := count(t, again, "db.t", "id = 2"); n != 1 {
		t.Fatalf("id = 2: %d rows", n)
	}
}

func TestOpenCatalogSqliteKeepsTheCatalogInThatFile(t *testing.T) {
	root := t.TempDir()
	dir, other := filepath.Join(root, "wh"), filepath.Join(root, "other.db")
	writeAndReadBack(t, dir, "sqlite:"+other, "")
	if _, err := os.Stat(other); err != nil {
		t.Fatalf("other.db: %v", err)
	}
	own := must(floe.OpenCatalog(dir, "", ""))(t) // the folder's own catalog.db never saw db.t
	defer own.Close()
	if tables := must(own.Tables())(t); len(tables) != 0 {
		t.Fatalf("own catalog has %v", tables)
	}
}

func TestOpenCatalogUnknownSchemeIsInvalidArg(t *testing.T) {
	_, err := floe.OpenCatalog(t.TempDir(), "nosuch://x", "")
	if !errors.Is(err, floe.ErrInvalidArg) || !strings.Contains(err.Error(), "nosuch") {
		t.Fatalf("OpenCatalog(nosuch://x) = %v", err)
	}
}

func TestOpenCatalogPostgres(t *testing.T) {
	url := os.Getenv("FLOE_POSTGRES_URL")
	if url == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("FLOE_POSTGRES_URL is not set: .ci/run must start PostgreSQL")
		}
		t.Skip("FLOE_POSTGRES_URL is not set (run through .ci/run, which starts PostgreSQL)")
	}
	sep := "?"
	if strings.Contains(url, "?") {
		sep = "&"
	}
	dir := filepath.Join(t.TempDir(), "wh")
	writeAndReadBack(t, dir, fmt.Sprintf("%s%scatalog=go%d", url, sep, time.Now().UnixNano()), "")
	if _, err := os.Stat(filepath.Join(dir, "catalog.db")); !os.IsNotExist(err) {
		t.Fatalf("a SQLite catalog beside a PostgreSQL one: %v", err)
	}
}

// A REST catalog served by a `floe catalog serve` process (FLOE_CLI is the floe binary; ctest sets it).
func TestOpenCatalogRestServedByAnotherProcess(t *testing.T) {
	cli := os.Getenv("FLOE_CLI")
	if cli == "" {
		t.Skip("FLOE_CLI is not set")
	}
	dir := filepath.Join(t.TempDir(), "served")
	// Port 0: the server binds a free port itself and prints its URL (a port probed here could be taken first).
	server := exec.Command(cli, "--warehouse", dir, "catalog", "serve", "--port", "0", "--token", "s3cret")
	stdout := must(server.StdoutPipe())(t)
	server.Stderr = os.Stderr
	ok(t, server.Start())
	stopped := false
	stop := func() {
		if !stopped {
			stopped = true
			// SIGTERM, not SIGINT: a process started in the background by a shell without job control inherits
			// SIGINT ignored, and the .NET runtime keeps it ignored, so an interrupt could leave this test waiting
			// forever. The server stops the same way on either.
			_ = server.Process.Signal(syscall.SIGTERM)
			_ = server.Wait()
		}
	}
	defer stop()
	line, err := bufio.NewReader(stdout).ReadString('\n')
	at := strings.Index(line, " at http://127.0.0.1:")
	if err != nil || !strings.HasPrefix(line, "serving the catalog") || at < 0 {
		t.Fatalf("floe catalog serve said %q (%v)", line, err)
	}
	url := strings.Fields(line[at+len(" at "):])[0]
	if strings.HasSuffix(url, ":0/") {
		t.Fatalf("floe catalog serve did not say which port it took: %q", line)
	}

	writeAndReadBack(t, dir, url, "s3cret")
	_, err = func() (*floe.Warehouse, error) {
		w, err := floe.OpenCatalog(dir, url, "wrong")
		if err != nil {
			return nil, err
		}
		defer w.Close()
		_, err = w.Tables()
		return w, err
	}()
	if !errors.Is(err, floe.ErrInvalidArg) || !strings.Contains(err.Error(), "not authorized") {
		t.Fatalf("wrong token: %v", err)
	}
	stop()
	// The server kept the catalog in its folder's catalog.db: a plain open sees what went through REST.
	direct := must(floe.Open(dir))(t)
	defer direct.Close()
	if n := count(t, direct, "db.t", ""); n != 3 {
		t.Fatalf("%d rows in the served folder", n)
	}
}
