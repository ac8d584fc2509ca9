// Package capi is the raw cgo layer of the Go binding: one Go function per function of
// native-abi/include/floe.h, under the C name in Go spelling, taking and returning plain Go values.
// Nothing here is idiomatic and nothing here reads floe_last_error on its own: the floe package pairs each
// fallible call with LastError on the same OS thread.
//
// Build flags come from the environment: CGO_CFLAGS=-I<repo>/native-abi/include and
// CGO_LDFLAGS=-L<dist> -lfloe -Wl,-rpath,<dist> (see bindings/go/README.md).
package capi

/*
#cgo LDFLAGS: -lfloe
#include <stdlib.h>
#include "floe.h"

// Arrow stream callbacks are C function pointers, which Go cannot call directly.
static int floe_go_stream_get_schema(struct ArrowArrayStream *s, struct ArrowSchema *out) { return s->get_schema(s, out); }
static int floe_go_stream_get_next(struct ArrowArrayStream *s, struct ArrowArray *out) { return s->get_next(s, out); }
static const char *floe_go_stream_get_last_error(struct ArrowArrayStream *s) { return s->get_last_error(s); }
static void floe_go_stream_release(struct ArrowArrayStream *s) { if (s->release != NULL) s->release(s); }
static void floe_go_schema_release(struct ArrowSchema *s) { if (s->release != NULL) s->release(s); }
static void floe_go_array_release(struct ArrowArray *a) { if (a->release != NULL) a->release(a); }
*/
import "C"

import (
	"unsafe"
)

// Return codes (floe_error_code).
const (
	FLOE_OK              = int(C.FLOE_OK)
	FLOE_EINTERNAL       = int(C.FLOE_EINTERNAL)
	FLOE_EINVALID_ARG    = int(C.FLOE_EINVALID_ARG)
	FLOE_ENOTFOUND       = int(C.FLOE_ENOTFOUND)
	FLOE_EEXISTS         = int(C.FLOE_EEXISTS)
	FLOE_EINVALID_DATA   = int(C.FLOE_EINVALID_DATA)
	FLOE_ECONFLICT       = int(C.FLOE_ECONFLICT)
	FLOE_EIO             = int(C.FLOE_EIO)
	FLOE_EUNSUPPORTED    = int(C.FLOE_EUNSUPPORTED)
	FLOE_EINVALID_HANDLE = int(C.FLOE_EINVALID_HANDLE)
	FLOE_EVALIDATION     = int(C.FLOE_EVALIDATION)
	FLOE_ECANCELLED      = int(C.FLOE_ECANCELLED)
)

// Ingest modes (floe_ingest_mode) and the header's ABI generation.
const (
	FLOE_INGEST_APPEND               = int(C.FLOE_INGEST_APPEND)
	FLOE_INGEST_OVERWRITE_PARTITIONS = int(C.FLOE_INGEST_OVERWRITE_PARTITIONS)
	FLOE_ABI_VERSION                 = int(C.FLOE_ABI_VERSION)
)

// Warehouse is an opaque floe_warehouse pointer; it is never dereferenced.
type Warehouse unsafe.Pointer

// ArrowArrayStream, ArrowSchema and ArrowArray are C-allocated Arrow C Data Interface structs.
type (
	ArrowArrayStream = C.struct_ArrowArrayStream
	ArrowSchema      = C.struct_ArrowSchema
	ArrowArray       = C.struct_ArrowArray
)

// cstring converts s for a borrowed const char* argument; "" with nullable set gives NULL.
func cstring(s string, nullable bool) *C.char {
	if nullable && s == "" {
		return nil
	}
	return C.CString(s)
}

func free(p *C.char) {
	if p != nil {
		C.free(unsafe.Pointer(p))
	}
}

// takeBuf copies a filled floe_buf into Go memory and frees it.
func takeBuf(buf *C.floe_buf) []byte {
	defer C.floe_buf_free(buf)
	if buf.data == nil {
		return nil
	}
	return C.GoBytes(unsafe.Pointer(buf.data), C.int(buf.len))
}

// floe_version.
func Version() string { return C.GoString(C.floe_version()) }

// floe_abi_version.
func AbiVersion() int { return int(C.floe_abi_version()) }

// LastError is floe_last_error: the calling OS thread's last failure as (code, category, message).
func LastError() (int, string, string) {
	e := C.floe_last_error()
	return int(e.code), C.GoString(e.category), C.GoString(e.message)
}

// floe_warehouse_open.
func WarehouseOpen(path string) (Warehouse, int) {
	p := cstring(path, false)
	defer free(p)
	var out *C.floe_warehouse
	rc := C.floe_warehouse_open(&out, p)
	return Warehouse(unsafe.Pointer(out)), int(rc)
}

// floe_warehouse_open_catalog; an empty catalog or token means NULL.
func WarehouseOpenCatalog(path, catalog, token string) (Warehouse, int) {
	p, c, t := cstring(path, false), cstring(catalog, true), cstring(token, true)
	defer free(p)
	defer free(c)
	defer free(t)
	var out *C.floe_warehouse
	rc := C.floe_warehouse_open_catalog(&out, p, c, t)
	return Warehouse(unsafe.Pointer(out)), int(rc)
}

// floe_warehouse_close.
func WarehouseClose(w Warehouse) { C.floe_warehouse_close((*C.floe_warehouse)(w)) }

// floe_warehouse_path.
func WarehousePath(w Warehouse) (string, int) {
	var buf C.floe_buf
	rc := C.floe_warehouse_path(&buf, (*C.floe_warehouse)(w))
	return string(takeBuf(&buf)), int(rc)
}

// floe_table_create; an empty partition means unpartitioned (NULL).
func TableCreate(w Warehouse, name, schema, partition string) int {
	n, s, p := cstring(name, false), cstring(schema, false), cstring(partition, true)
	defer free(n)
	defer free(s)
	defer free(p)
	return int(C.floe_table_create((*C.floe_warehouse)(w), n, s, p))
}

// floe_table_create_with_properties; an empty partition or propertiesJSON means NULL.
func TableCreateWithProperties(w Warehouse, name, schema, partition, propertiesJSON string) int {
	n, s, p, j := cstring(name, false), cstring(schema, false), cstring(partition, true), cstring(propertiesJSON, true)
	defer free(n)
	defer free(s)
	defer free(p)
	defer free(j)
	return int(C.floe_table_create_with_properties((*C.floe_warehouse)(w), n, s, p, j))
}

// floe_table_upgrade.
func TableUpgrade(w Warehouse, name string, formatVersion int) ([]byte, int) {
	n := cstring(name, false)
	defer free(n)
	var buf C.floe_buf
	rc := C.floe_table_upgrade(&buf, (*C.floe_warehouse)(w), n, C.int(formatVersion))
	return takeBuf(&buf), int(rc)
}

// floe_table_describe.
func TableDescribe(w Warehouse, name string) ([]byte, int) {
	n := cstring(name, false)
	defer free(n)
	var buf C.floe_buf
	rc := C.floe_table_describe(&buf, (*C.floe_warehouse)(w), n)
	return takeBuf(&buf), int(rc)
}

// floe_table_list.
func TableList(w Warehouse) ([]byte, int) {
	var buf C.floe_buf
	rc := C.floe_table_list(&buf, (*C.floe_warehouse)(w))
	return takeBuf(&buf), int(rc)
}

// floe_table_snapshots.
func Snapshots(w Warehouse, table string) ([]byte, int) {
	t := cstring(table, false)
	defer free(t)
	var buf C.floe_buf
	rc := C.floe_table_snapshots(&buf, (*C.floe_warehouse)(w), t)
	return takeBuf(&buf), int(rc)
}

// IngestOptions mirrors floe_ingest_options; empty strings mean NULL.
type IngestOptions struct {
	Mode           int
	Branch         string
	PropertiesJSON string
}

// floe_ingest_file.
func IngestFile(w Warehouse, table, path string, opts IngestOptions) ([]byte, int) {
	t, p := cstring(table, false), cstring(path, false)
	b, props := cstring(opts.Branch, true), cstring(opts.PropertiesJSON, true)
	defer free(t)
	defer free(p)
	defer free(b)
	defer free(props)
	copts := C.floe_ingest_options{version: 1, mode: C.int(opts.Mode), branch: b, properties_json: props}
	var buf C.floe_buf
	rc := C.floe_ingest_file(&buf, (*C.floe_warehouse)(w), t, p, &copts)
	return takeBuf(&buf), int(rc)
}

// floe_scan_count; an empty filter counts every row.
func ScanCount(w Warehouse, table, filter string) (int64, int) {
	t, f := cstring(table, false), cstring(filter, true)
	defer free(t)
	defer free(f)
	var out C.int64_t
	rc := C.floe_scan_count(&out, (*C.floe_warehouse)(w), t, f)
	return int64(out), int(rc)
}

// floe_scan_aggregate; an empty filter means NULL.
func ScanAggregate(w Warehouse, table, aggregates, filter string) ([]byte, int) {
	t, a, f := cstring(table, false), cstring(aggregates, false), cstring(filter, true)
	defer free(t)
	defer free(a)
	defer free(f)
	var buf C.floe_buf
	rc := C.floe_scan_aggregate(&buf, (*C.floe_warehouse)(w), t, a, f)
	return takeBuf(&buf), int(rc)
}

// ScanOptions mirrors floe_scan_options; zero values mean "not given".
type ScanOptions struct {
	SnapshotID int64
	Ref        string
	AsOf       string
	Columns    string
	Filter     string
}

// floe_table_scan: fills a stream allocated in C memory (free it with StreamFree after releasing it).
func Scan(w Warehouse, table string, opts ScanOptions) (*ArrowArrayStream, int) {
	t := cstring(table, false)
	ref, asOf, cols, filter := cstring(opts.Ref, true), cstring(opts.AsOf, true), cstring(opts.Columns, true), cstring(opts.Filter, true)
	defer free(t)
	defer free(ref)
	defer free(asOf)
	defer free(cols)
	defer free(filter)
	copts := C.floe_scan_options{version: 1, snapshot_id: C.int64_t(opts.SnapshotID), ref: ref, as_of: asOf, columns: cols, filter: filter}
	stream := StreamAlloc()
	rc := C.floe_table_scan(stream, (*C.floe_warehouse)(w), t, &copts)
	return stream, int(rc)
}

// floe_branch_create; an empty from means main's head (NULL).
func BranchCreate(w Warehouse, table, name, from string) int {
	t, n, f := cstring(table, false), cstring(name, false), cstring(from, true)
	defer free(t)
	defer free(n)
	defer free(f)
	return int(C.floe_branch_create((*C.floe_warehouse)(w), t, n, f))
}

// floe_branch_fast_forward.
func BranchFastForward(w Warehouse, table, branch, to string) int {
	t, b, o := cstring(table, false), cstring(branch, false), cstring(to, false)
	defer free(t)
	defer free(b)
	defer free(o)
	return int(C.floe_branch_fast_forward((*C.floe_warehouse)(w), t, b, o))
}

// ---------------------------------------------------------------------------------- Arrow C stream

// StreamAlloc returns a zeroed ArrowArrayStream in C memory, so the producer never holds Go memory.
func StreamAlloc() *ArrowArrayStream {
	return (*ArrowArrayStream)(C.calloc(1, C.size_t(unsafe.Sizeof(ArrowArrayStream{}))))
}

// StreamFree releases the stream when it is live, then frees its memory.
func StreamFree(s *ArrowArrayStream) {
	if s != nil {
		C.floe_go_stream_release(s)
		C.free(unsafe.Pointer(s))
	}
}

// StreamRelease calls the stream's release callback when it is live; its memory stays allocated.
func StreamRelease(s *ArrowArrayStream) {
	if s != nil {
		C.floe_go_stream_release(s)
	}
}

// StreamGetSchema calls get_schema; the schema is C memory, freed by SchemaFree.
func StreamGetSchema(s *ArrowArrayStream) (*ArrowSchema, int) {
	out := (*ArrowSchema)(C.calloc(1, C.size_t(unsafe.Sizeof(ArrowSchema{}))))
	return out, int(C.floe_go_stream_get_schema(s, out))
}

// StreamGetNext calls get_next; a result with a NULL release marks the end. Free with ArrayFree.
func StreamGetNext(s *ArrowArrayStream) (*ArrowArray, int) {
	out := (*ArrowArray)(C.calloc(1, C.size_t(unsafe.Sizeof(ArrowArray{}))))
	return out, int(C.floe_go_stream_get_next(s, out))
}

// StreamLastError calls get_last_error.
func StreamLastError(s *ArrowArrayStream) string {
	msg := C.floe_go_stream_get_last_error(s)
	if msg == nil {
		return ""
	}
	return C.GoString(msg)
}

// SchemaFree releases a schema when it is live and frees its memory.
func SchemaFree(s *ArrowSchema) {
	if s != nil {
		C.floe_go_schema_release(s)
		C.free(unsafe.Pointer(s))
	}
}

// ArrayFree releases an array when it is live and frees its memory.
func ArrayFree(a *ArrowArray) {
	if a != nil {
		C.floe_go_array_release(a)
		C.free(unsafe.Pointer(a))
	}
}

// ArrayReleased reports whether get_next marked the end of the stream (release == NULL).
func ArrayReleased(a *ArrowArray) bool { return a.release == nil }
