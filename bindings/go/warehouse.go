// Package floe is the Go binding of Floe's C ABI (libfloe.so): warehouses, tables, file ingest, counts,
// scans read through the Arrow C Data Interface, and the write-audit-publish branch steps.
//
// Every call returns an error of type *Error carrying the FLOE_E* code and the library's message; test its
// kind with errors.Is(err, floe.ErrNotFound) and friends. A Warehouse is safe for concurrent use; Close it
// when done. The host needs no .NET runtime: libfloe.so is a self-contained NativeAOT library.
package floe

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync"

	"floe.invalid/floe/internal/capi"
)

// ABIVersion is the ABI generation this binding was written for; Open refuses a library of another one.
const ABIVersion = 1

// Version is the loaded library's version, e.g. "0.1.0".
func Version() string { return capi.Version() }

// Warehouse is an open warehouse: a folder holding a catalog and its Iceberg tables.
type Warehouse struct {
	// mu lets calls run concurrently (the handle is thread-safe) while Close waits for them to finish.
	mu     sync.RWMutex
	handle capi.Warehouse
}

// Open opens the warehouse rooted at dir, creating the folder and its catalog when missing.
func Open(dir string) (*Warehouse, error) {
	return open(func() (capi.Warehouse, int) { return capi.WarehouseOpen(dir) })
}

// OpenCatalog opens the warehouse folder dir (the tables' data) with a catalog given by URI, as `floe --catalog`
// takes it: "sqlite:PATH", "postgresql://user@host:port/db" (the Iceberg JDBC layout) or
// "http(s)://host:port[/prefix]" (an Iceberg REST catalog, token its bearer token). An empty catalog is the
// folder's own catalog.db, an empty token none. An unknown scheme is ErrInvalidArg, an unreachable catalog ErrIO.
func OpenCatalog(dir, catalog, token string) (*Warehouse, error) {
	return open(func() (capi.Warehouse, int) { return capi.WarehouseOpenCatalog(dir, catalog, token) })
}

func open(f func() (capi.Warehouse, int)) (*Warehouse, error) {
	if got := capi.AbiVersion(); got != ABIVersion {
		return nil, &Error{Code: CodeUnsupported, Category: CodeUnsupported.String(),
			Message: fmt.Sprintf("libfloe.so has ABI version %d, this binding needs %d", got, ABIVersion)}
	}
	var h capi.Warehouse
	if err := call(func() int {
		var rc int
		h, rc = f()
		return rc
	}); err != nil {
		return nil, err
	}
	return &Warehouse{handle: h}, nil
}

// Close releases the handle; closing twice is harmless. It waits for calls in progress.
func (w *Warehouse) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.handle != nil {
		capi.WarehouseClose(w.handle)
		w.handle = nil
	}
	return nil
}

// with runs f on the live handle, or fails with ErrInvalidHandle after Close.
func (w *Warehouse) with(f func(h capi.Warehouse) int) error {
	w.mu.RLock()
	defer w.mu.RUnlock()
	if w.handle == nil {
		return errClosed()
	}
	return call(func() int { return f(w.handle) })
}

// jsonCall runs a call that fills a floe_buf with JSON and decodes it into out.
func (w *Warehouse) jsonCall(out any, f func(h capi.Warehouse) ([]byte, int)) error {
	var data []byte
	if err := w.with(func(h capi.Warehouse) int {
		var rc int
		data, rc = f(h)
		return rc
	}); err != nil {
		return err
	}
	if err := json.Unmarshal(data, out); err != nil {
		return &Error{Code: CodeInternal, Category: CodeInternal.String(), Message: "the library returned malformed JSON: " + err.Error()}
	}
	return nil
}

// Path is the warehouse's absolute folder.
func (w *Warehouse) Path() (string, error) {
	var path string
	err := w.with(func(h capi.Warehouse) int {
		var rc int
		path, rc = capi.WarehousePath(h)
		return rc
	})
	return path, err
}

// CreateTable creates a format-v2 table. schema is "name:type[ not null],..."; partition is hidden
// partitioning such as "day(event_time),bucket(16,id)", or "" for an unpartitioned table.
func (w *Warehouse) CreateTable(name, schema, partition string) error {
	return w.with(func(h capi.Warehouse) int { return capi.TableCreate(h, name, schema, partition) })
}

// CreateTableWithProperties creates a table with table properties: {"format-version": "3"} makes a format-v3 table
// (row lineage); other keys, e.g. "write.delete.mode", are stored as given. A nil map is the same as CreateTable.
func (w *Warehouse) CreateTableWithProperties(name, schema, partition string, properties map[string]string) error {
	if properties == nil {
		return w.CreateTable(name, schema, partition)
	}
	data, err := json.Marshal(properties)
	if err != nil {
		return err
	}
	return w.with(func(h capi.Warehouse) int {
		return capi.TableCreateWithProperties(h, name, schema, partition, string(data))
	})
}

// UpgradeTable upgrades the table's format version in one commit (2 to 3 starts row lineage) and returns its description.
func (w *Warehouse) UpgradeTable(name string, formatVersion int) (*TableInfo, error) {
	var info TableInfo
	if err := w.jsonCall(&info, func(h capi.Warehouse) ([]byte, int) { return capi.TableUpgrade(h, name, formatVersion) }); err != nil {
		return nil, err
	}
	return &info, nil
}

// Describe returns the table's description (the CLI's `floe table show --json`).
func (w *Warehouse) Describe(name string) (*TableInfo, error) {
	info := &TableInfo{}
	var raw json.RawMessage
	if err := w.jsonCall(&raw, func(h capi.Warehouse) ([]byte, int) { return capi.TableDescribe(h, name) }); err != nil {
		return nil, err
	}
	if err := json.Unmarshal(raw, info); err != nil {
		return nil, &Error{Code: CodeInternal, Category: CodeInternal.String(), Message: "the library returned malformed JSON: " + err.Error()}
	}
	info.Raw = raw
	return info, nil
}

// Tables lists the warehouse's table names.
func (w *Warehouse) Tables() ([]string, error) {
	var names []string
	err := w.jsonCall(&names, capi.TableList)
	return names, err
}

// Snapshots lists a table's snapshots, oldest first.
func (w *Warehouse) Snapshots(table string) ([]Snapshot, error) {
	var raws []json.RawMessage
	if err := w.jsonCall(&raws, func(h capi.Warehouse) ([]byte, int) { return capi.Snapshots(h, table) }); err != nil {
		return nil, err
	}
	out := make([]Snapshot, len(raws))
	for i, raw := range raws {
		if err := json.Unmarshal(raw, &out[i]); err != nil {
			return nil, &Error{Code: CodeInternal, Category: CodeInternal.String(), Message: "the library returned malformed JSON: " + err.Error()}
		}
		out[i].Raw = raw
	}
	return out, nil
}

// IngestMode says how Ingest commits.
type IngestMode int

const (
	// Append adds the file's rows in a new snapshot.
	Append IngestMode = IngestMode(capi.FLOE_INGEST_APPEND)
	// OverwritePartitions atomically replaces the partitions present in the file.
	OverwritePartitions IngestMode = IngestMode(capi.FLOE_INGEST_OVERWRITE_PARTITIONS)
)

// IngestOptions are Ingest's options; the zero value appends to main.
type IngestOptions struct {
	Mode IngestMode
	// Branch to commit to (created when missing); "" for main.
	Branch string
	// Properties are added to the snapshot summary.
	Properties map[string]string
}

// Ingest loads a CSV (with a header row) or Parquet file into a table in one atomic commit.
func (w *Warehouse) Ingest(table, path string, opts IngestOptions) (*IngestResult, error) {
	copts, err := ingestOptions(opts)
	if err != nil {
		return nil, err
	}
	result := &IngestResult{}
	err = w.jsonCall(result, func(h capi.Warehouse) ([]byte, int) { return capi.IngestFile(h, table, path, copts) })
	if err != nil {
		return nil, err
	}
	return result, nil
}

func ingestOptions(opts IngestOptions) (capi.IngestOptions, error) {
	copts := capi.IngestOptions{Mode: int(opts.Mode), Branch: opts.Branch}
	if opts.Properties != nil {
		props, err := json.Marshal(opts.Properties)
		if err != nil {
			return copts, &Error{Code: CodeInvalidArg, Category: CodeInvalidArg.String(), Message: "properties: " + err.Error()}
		}
		copts.PropertiesJSON = string(props)
	}
	return copts, nil
}

// Count counts the rows of main's current snapshot that match filter ("" counts every row).
func (w *Warehouse) Count(table, filter string) (int64, error) {
	var n int64
	err := w.with(func(h capi.Warehouse) int {
		var rc int
		n, rc = capi.ScanCount(h, table, filter)
		return rc
	})
	return n, err
}

// Aggregate computes ungrouped aggregates such as "count(*),sum(amount),min(event_time)" (count, sum, min, max,
// avg) over main's current snapshot, filtered by filter ("" for every row), as `floe scan --agg LIST --json`:
// from manifest and Parquet statistics where they prove the answer, else by decoding only the columns involved.
func (w *Warehouse) Aggregate(table, aggregates, filter string) (*AggregateResult, error) {
	var out AggregateResult
	if err := w.jsonNumbersCall(&out, func(h capi.Warehouse) ([]byte, int) { return capi.ScanAggregate(h, table, aggregates, filter) }); err != nil {
		return nil, err
	}
	return &out, nil
}

// ScanOptions select what Scan reads; the zero value reads all of main's current snapshot.
// Give at most one of SnapshotID, Ref and AsOf.
type ScanOptions struct {
	SnapshotID int64
	// Ref is a branch or tag.
	Ref string
	// AsOf reads what main showed at a time, e.g. "2024-06-01 12:00:00" (UTC unless an offset is given).
	AsOf    string
	Columns []string
	// Filter is a row filter, e.g. "amount > 10 and id in (1, 2)".
	Filter string
}

// Scan reads a table through the library's Arrow C stream into memory, batch by batch.
func (w *Warehouse) Scan(table string, opts ScanOptions) (*Table, error) {
	return w.withScan(table, opts, readStream)
}

// withScan opens a scan's Arrow C stream and hands it to use, with the warehouse locked open until use returns (the
// header requires it while the stream is read); the stream's struct is freed afterwards.
func (w *Warehouse) withScan(table string, opts ScanOptions, use func(*capi.ArrowArrayStream) (*Table, error)) (*Table, error) {
	w.mu.RLock()
	defer w.mu.RUnlock()
	if w.handle == nil {
		return nil, errClosed()
	}
	var stream *capi.ArrowArrayStream
	err := call(func() int {
		var rc int
		stream, rc = capi.Scan(w.handle, table, capi.ScanOptions{
			SnapshotID: opts.SnapshotID, Ref: opts.Ref, AsOf: opts.AsOf,
			Columns: strings.Join(opts.Columns, ","), Filter: opts.Filter,
		})
		return rc
	})
	defer capi.StreamFree(stream)
	if err != nil {
		return nil, err
	}
	return use(stream)
}

// CreateBranch creates a branch at from (a branch, tag or snapshot id; "" for main's head).
func (w *Warehouse) CreateBranch(table, name, from string) error {
	return w.with(func(h capi.Warehouse) int { return capi.BranchCreate(h, table, name, from) })
}

// FastForward moves branch to to's snapshot when branch's head is an ancestor of it: with "main" and a
// staging branch, the publish step of write-audit-publish. A diverged history gives ErrValidation.
func (w *Warehouse) FastForward(table, branch, to string) error {
	return w.with(func(h capi.Warehouse) int { return capi.BranchFastForward(h, table, branch, to) })
}
