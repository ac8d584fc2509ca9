package capi

/*
#include <stdint.h>
#include <stdlib.h>
#include "floe.h"

// Defined in Go below (//export): the trampoline floe_backfill_run calls for progress.
extern int floeGoProgress(int64_t days_done, int64_t days_total, int64_t rows, void *payload);
*/
import "C"

import (
	"runtime/cgo"
	"unsafe"
)

// Progress receives a backfill's progress; returning true cancels the run.
type Progress func(daysDone, daysTotal, rows int64) bool

//export floeGoProgress
func floeGoProgress(daysDone, daysTotal, rows C.int64_t, payload unsafe.Pointer) C.int {
	progress := cgo.Handle(*(*C.uintptr_t)(payload)).Value().(Progress)
	if progress(int64(daysDone), int64(daysTotal), int64(rows)) {
		return 1
	}
	return 0
}

// floe_backfill_run; progress may be nil. The callback runs on the calling OS thread.
func BackfillRun(w Warehouse, requestJSON string, progress Progress) ([]byte, int) {
	r := cstring(requestJSON, false)
	defer free(r)
	var buf C.floe_buf
	if progress == nil {
		rc := C.floe_backfill_run(&buf, (*C.floe_warehouse)(w), r, nil, nil)
		return takeBuf(&buf), int(rc)
	}
	handle := cgo.NewHandle(progress)
	defer handle.Delete()
	// The payload is C memory holding the handle, so no Go pointer crosses into C.
	payload := C.malloc(C.size_t(unsafe.Sizeof(C.uintptr_t(0))))
	defer C.free(payload)
	*(*C.uintptr_t)(payload) = C.uintptr_t(handle)
	rc := C.floe_backfill_run(&buf, (*C.floe_warehouse)(w), r, C.floe_progress_fn(C.floeGoProgress), payload)
	return takeBuf(&buf), int(rc)
}

// floe_lineage_describe; an empty selector means main's head (NULL).
func LineageDescribe(w Warehouse, table, selectorJSON string) ([]byte, int) {
	t, s := cstring(table, false), cstring(selectorJSON, true)
	defer free(t)
	defer free(s)
	var buf C.floe_buf
	rc := C.floe_lineage_describe(&buf, (*C.floe_warehouse)(w), t, s)
	return takeBuf(&buf), int(rc)
}

// floe_audit_run; empty options mean the defaults (NULL).
func AuditRun(w Warehouse, table, branch, optionsJSON string) ([]byte, int) {
	t, b, o := cstring(table, false), cstring(branch, false), cstring(optionsJSON, true)
	defer free(t)
	defer free(b)
	defer free(o)
	var buf C.floe_buf
	rc := C.floe_audit_run(&buf, (*C.floe_warehouse)(w), t, b, o)
	return takeBuf(&buf), int(rc)
}

// floe_publish_run.
func PublishRun(w Warehouse, table, branch string) ([]byte, int) {
	t, b := cstring(table, false), cstring(branch, false)
	defer free(t)
	defer free(b)
	var buf C.floe_buf
	rc := C.floe_publish_run(&buf, (*C.floe_warehouse)(w), t, b)
	return takeBuf(&buf), int(rc)
}

// floe_training_set_build.
func TrainingSetBuild(w Warehouse, requestJSON string) ([]byte, int) {
	r := cstring(requestJSON, false)
	defer free(r)
	var buf C.floe_buf
	rc := C.floe_training_set_build(&buf, (*C.floe_warehouse)(w), r)
	return takeBuf(&buf), int(rc)
}

// floe_backfill_plan.
func BackfillPlan(w Warehouse, requestJSON string) ([]byte, int) {
	r := cstring(requestJSON, false)
	defer free(r)
	var buf C.floe_buf
	rc := C.floe_backfill_plan(&buf, (*C.floe_warehouse)(w), r)
	return takeBuf(&buf), int(rc)
}

// floe_task_execute.
func TaskExecute(w Warehouse, taskJSON string) ([]byte, int) {
	t := cstring(taskJSON, false)
	defer free(t)
	var buf C.floe_buf
	rc := C.floe_task_execute(&buf, (*C.floe_warehouse)(w), t)
	return takeBuf(&buf), int(rc)
}

// floe_tasks_commit.
func TasksCommit(w Warehouse, planJSON, resultsJSON string) ([]byte, int) {
	p, r := cstring(planJSON, false), cstring(resultsJSON, false)
	defer free(p)
	defer free(r)
	var buf C.floe_buf
	rc := C.floe_tasks_commit(&buf, (*C.floe_warehouse)(w), p, r)
	return takeBuf(&buf), int(rc)
}
