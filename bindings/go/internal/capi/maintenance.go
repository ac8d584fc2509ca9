package capi

/*
#include <stdlib.h>
#include "floe.h"
*/
import "C"

func cbool(b bool) C.int {
	if b {
		return 1
	}
	return 0
}

// floe_table_check.
func TableCheck(w Warehouse, table string, allSnapshots bool) ([]byte, int) {
	t := cstring(table, false)
	defer free(t)
	var buf C.floe_buf
	rc := C.floe_table_check(&buf, (*C.floe_warehouse)(w), t, cbool(allSnapshots))
	return takeBuf(&buf), int(rc)
}

// floe_table_drop.
func TableDrop(w Warehouse, table string, purge, deleteRegisteredFiles bool) ([]byte, int) {
	t := cstring(table, false)
	defer free(t)
	var buf C.floe_buf
	rc := C.floe_table_drop(&buf, (*C.floe_warehouse)(w), t, cbool(purge), cbool(deleteRegisteredFiles))
	return takeBuf(&buf), int(rc)
}

// floe_table_register; an empty locationMapJSON means NULL.
func TableRegister(w Warehouse, name, metadataFile, locationMapJSON string) ([]byte, int) {
	n, m, l := cstring(name, false), cstring(metadataFile, false), cstring(locationMapJSON, true)
	defer free(n)
	defer free(m)
	defer free(l)
	var buf C.floe_buf
	rc := C.floe_table_register(&buf, (*C.floe_warehouse)(w), n, m, l)
	return takeBuf(&buf), int(rc)
}

// floe_table_forget; an empty tables list or reason means NULL.
func TableForget(w Warehouse, key, value, tables string, dryRun bool, reason string) ([]byte, int) {
	k, v, t, r := cstring(key, false), cstring(value, false), cstring(tables, true), cstring(reason, true)
	defer free(k)
	defer free(v)
	defer free(t)
	defer free(r)
	var buf C.floe_buf
	rc := C.floe_table_forget(&buf, (*C.floe_warehouse)(w), k, v, t, cbool(dryRun), r)
	return takeBuf(&buf), int(rc)
}

// floe_table_delete; an empty branch means main (NULL).
func TableDelete(w Warehouse, table, filter, branch string) ([]byte, int) {
	t, f, b := cstring(table, false), cstring(filter, false), cstring(branch, true)
	defer free(t)
	defer free(f)
	defer free(b)
	var buf C.floe_buf
	rc := C.floe_table_delete(&buf, (*C.floe_warehouse)(w), t, f, b)
	return takeBuf(&buf), int(rc)
}

// floe_maintenance_expire_snapshots; an empty olderThan means NULL.
func ExpireSnapshots(w Warehouse, table, olderThan string, retainLast int32, dryRun, deleteRegisteredFiles bool) ([]byte, int) {
	t, o := cstring(table, false), cstring(olderThan, true)
	defer free(t)
	defer free(o)
	var buf C.floe_buf
	rc := C.floe_maintenance_expire_snapshots(&buf, (*C.floe_warehouse)(w), t, o, C.int32_t(retainLast), cbool(dryRun), cbool(deleteRegisteredFiles))
	return takeBuf(&buf), int(rc)
}

// floe_maintenance_remove_orphans; an empty olderThan means NULL.
func RemoveOrphans(w Warehouse, table, olderThan string, dryRun, deleteRegisteredFiles bool) ([]byte, int) {
	t, o := cstring(table, false), cstring(olderThan, true)
	defer free(t)
	defer free(o)
	var buf C.floe_buf
	rc := C.floe_maintenance_remove_orphans(&buf, (*C.floe_warehouse)(w), t, o, cbool(dryRun), cbool(deleteRegisteredFiles))
	return takeBuf(&buf), int(rc)
}

// floe_maintenance_compact; an empty filter means NULL, zero numbers the defaults.
func Compact(w Warehouse, table, filter string, target, minSize int64, minInputs int32) ([]byte, int) {
	t, f := cstring(table, false), cstring(filter, true)
	defer free(t)
	defer free(f)
	var buf C.floe_buf
	rc := C.floe_maintenance_compact(&buf, (*C.floe_warehouse)(w), t, f, C.int64_t(target), C.int64_t(minSize), C.int32_t(minInputs))
	return takeBuf(&buf), int(rc)
}

// floe_tag_create; an empty from means main's head (NULL).
func TagCreate(w Warehouse, table, name, from string) ([]byte, int) {
	t, n, f := cstring(table, false), cstring(name, false), cstring(from, true)
	defer free(t)
	defer free(n)
	defer free(f)
	var buf C.floe_buf
	rc := C.floe_tag_create(&buf, (*C.floe_warehouse)(w), t, n, f)
	return takeBuf(&buf), int(rc)
}

// floe_branch_replace (tag false) or floe_tag_replace (tag true).
func RefReplace(w Warehouse, table, name, to string, tag bool) ([]byte, int) {
	t, n, o := cstring(table, false), cstring(name, false), cstring(to, false)
	defer free(t)
	defer free(n)
	defer free(o)
	var buf C.floe_buf
	var rc C.int
	if tag {
		rc = C.floe_tag_replace(&buf, (*C.floe_warehouse)(w), t, n, o)
	} else {
		rc = C.floe_branch_replace(&buf, (*C.floe_warehouse)(w), t, n, o)
	}
	return takeBuf(&buf), int(rc)
}

// floe_ref_drop.
func RefDrop(w Warehouse, table, name string, tag bool) int {
	t, n := cstring(table, false), cstring(name, false)
	defer free(t)
	defer free(n)
	kind := C.floe_ref_kind(C.FLOE_REF_BRANCH)
	if tag {
		kind = C.floe_ref_kind(C.FLOE_REF_TAG)
	}
	return int(C.floe_ref_drop((*C.floe_warehouse)(w), t, n, kind))
}

// floe_branch_cherry_pick; an empty branch means main (NULL).
func CherryPick(w Warehouse, table string, snapshotID int64, branch string) ([]byte, int) {
	t, b := cstring(table, false), cstring(branch, true)
	defer free(t)
	defer free(b)
	var buf C.floe_buf
	rc := C.floe_branch_cherry_pick(&buf, (*C.floe_warehouse)(w), t, C.int64_t(snapshotID), b)
	return takeBuf(&buf), int(rc)
}
