package capi

import (
	"runtime"
	"testing"
	"unsafe"
)

func TestAbiVersionMatchesHeader(t *testing.T) {
	if AbiVersion() != FLOE_ABI_VERSION {
		t.Fatalf("library ABI %d, header %d", AbiVersion(), FLOE_ABI_VERSION)
	}
}

func TestMisuseGivesCodesNotCrashes(t *testing.T) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	if path, rc := WarehousePath(nil); rc != FLOE_EINVALID_HANDLE || path != "" {
		t.Fatalf("WarehousePath(NULL) = %q, %d", path, rc)
	}
	if code, category, message := LastError(); code != FLOE_EINVALID_HANDLE || category != "invalid_handle" || message == "" {
		t.Fatalf("LastError = %d %q %q", code, category, message)
	}
	forged := Warehouse(unsafe.Pointer(uintptr(0x1234)))
	if _, rc := TableList(forged); rc != FLOE_EINVALID_HANDLE {
		t.Fatalf("TableList(forged) = %d", rc)
	}
	if _, rc := WarehouseOpen(""); rc != FLOE_EINVALID_ARG {
		t.Fatalf("WarehouseOpen(\"\") = %d", rc)
	}
	WarehouseClose(nil) // accepted, no-op
}

func TestScanStreamLifecycle(t *testing.T) {
	w, rc := WarehouseOpen(t.TempDir())
	if rc != FLOE_OK {
		t.Fatalf("open: %d", rc)
	}
	defer WarehouseClose(w)
	if rc := TableCreate(w, "db.t", "id:long", ""); rc != FLOE_OK {
		t.Fatalf("create: %d", rc)
	}
	stream, rc := Scan(w, "db.t", ScanOptions{})
	if rc != FLOE_OK {
		t.Fatalf("scan: %d", rc)
	}
	schema, rc := StreamGetSchema(stream)
	if rc != 0 {
		t.Fatalf("get_schema: %d", rc)
	}
	SchemaFree(schema)
	batch, rc := StreamGetNext(stream)
	if rc != 0 || !ArrayReleased(batch) {
		t.Fatalf("an empty table's stream should end at once (rc %d)", rc)
	}
	ArrayFree(batch)
	StreamFree(stream)
	// A failed scan leaves the stream released, so freeing it is still safe.
	failed, rc := Scan(w, "db.nosuch", ScanOptions{})
	if rc != FLOE_ENOTFOUND {
		t.Fatalf("scan of a missing table: %d", rc)
	}
	StreamFree(failed)
}
