package capi

/*
#include <stdlib.h>
#include <string.h>
#include "floe.h"
#include "floe_batch_stream.h"
*/
import "C"

import (
	"unsafe"
)

// ColumnBuffers are one column's Arrow buffers in Go memory (no Go pointers inside): Validity (an LSB-first
// bitmap, nil when NullCount is 0), Values (fixed-width values, or the int32 offsets of "u"/"z") and, for "u"/"z",
// Data. BuildStream copies them into C memory, so the C side never holds Go memory.
type ColumnBuffers struct {
	NullCount int64
	Validity  []byte
	Values    []byte
	Data      []byte
}

// cCopy is a malloc'd copy of b, at least one byte long so an empty buffer is still a valid pointer.
func cCopy(b []byte) unsafe.Pointer {
	n := len(b)
	if n == 0 {
		n = 1
	}
	p := C.malloc(C.size_t(n))
	if p == nil {
		return nil
	}
	copy(unsafe.Slice((*byte)(p), n), b)
	return p
}

// BuildStream returns a live ArrowArrayStream in C memory (free it with StreamFree) over batches of the given
// columns: batches[b][c] is column c of batch b, which has lengths[b] rows. 0, or a non-zero errno (ENOMEM).
func BuildStream(names, formats []string, lengths []int64, batches [][]ColumnBuffers) (*ArrowArrayStream, int) {
	n := len(names)
	slots := n
	if slots == 0 {
		slots = 1
	}
	pointerSize := C.size_t(unsafe.Sizeof((*C.char)(nil)))
	namesMemory, formatsMemory := C.calloc(C.size_t(slots), pointerSize), C.calloc(C.size_t(slots), pointerSize)
	defer C.free(namesMemory)
	defer C.free(formatsMemory)
	if namesMemory == nil || formatsMemory == nil {
		return nil, 12
	}
	cNames := unsafe.Slice((**C.char)(namesMemory), slots)[:n]
	cFormats := unsafe.Slice((**C.char)(formatsMemory), slots)[:n]
	defer func() {
		for i := 0; i < n; i++ {
			C.free(unsafe.Pointer(cNames[i]))
			C.free(unsafe.Pointer(cFormats[i]))
		}
	}()
	for i := 0; i < n; i++ {
		cNames[i] = C.CString(names[i])
		cFormats[i] = C.CString(formats[i])
	}
	stream := StreamAlloc()
	if rc := C.fbs_stream_init(stream, C.int64_t(n), (**C.char)(namesMemory), (**C.char)(formatsMemory)); rc != 0 {
		StreamFree(stream)
		return nil, int(rc)
	}
	for b, columns := range batches {
		if rc := appendBatch(stream, lengths[b], formats, columns); rc != 0 {
			StreamFree(stream)
			return nil, rc
		}
	}
	return stream, 0
}

func appendBatch(stream *ArrowArrayStream, length int64, formats []string, columns []ColumnBuffers) int {
	n := len(columns)
	slots := n
	if slots == 0 {
		slots = 1
	}
	arrays := (*C.struct_ArrowArray)(C.calloc(C.size_t(slots), C.size_t(unsafe.Sizeof(C.struct_ArrowArray{}))))
	if arrays == nil {
		return 12
	}
	defer C.free(unsafe.Pointer(arrays))
	built := unsafe.Slice(arrays, slots)
	release := func() {
		for i := range built {
			C.fbs_array_release(&built[i])
		}
	}
	buffers := (*[3]unsafe.Pointer)(C.calloc(3, C.size_t(unsafe.Sizeof(unsafe.Pointer(nil)))))
	if buffers == nil {
		return 12
	}
	defer C.free(unsafe.Pointer(buffers))
	for c, column := range columns {
		nBuffers := 2
		if formats[c] == "u" || formats[c] == "z" {
			nBuffers = 3
		}
		*buffers = [3]unsafe.Pointer{}
		if column.Validity != nil && column.NullCount > 0 {
			buffers[0] = cCopy(column.Validity)
		}
		buffers[1] = cCopy(column.Values)
		if nBuffers == 3 {
			buffers[2] = cCopy(column.Data)
		}
		if (buffers[0] == nil && column.Validity != nil && column.NullCount > 0) || buffers[1] == nil || (nBuffers == 3 && buffers[2] == nil) {
			for _, p := range buffers {
				C.free(p)
			}
			release()
			return 12
		}
		// fbs_column_init owns the buffers from here on, whatever it returns.
		if rc := C.fbs_column_init(&built[c], C.int64_t(length), C.int64_t(column.NullCount), C.int64_t(nBuffers),
			(*unsafe.Pointer)(unsafe.Pointer(buffers))); rc != 0 {
			release()
			return int(rc)
		}
	}
	// fbs_stream_append owns the columns from here on, whatever it returns.
	return int(C.fbs_stream_append(stream, C.int64_t(length), arrays))
}

// floe_ingest_arrow: moves stream (released whatever the result; the caller still frees its memory).
func IngestArrow(w Warehouse, table string, stream *ArrowArrayStream, opts IngestOptions) ([]byte, int) {
	t := cstring(table, false)
	b, props := cstring(opts.Branch, true), cstring(opts.PropertiesJSON, true)
	defer free(t)
	defer free(b)
	defer free(props)
	copts := C.floe_ingest_options{version: 1, mode: C.int(opts.Mode), branch: b, properties_json: props}
	var buf C.floe_buf
	rc := C.floe_ingest_arrow(&buf, (*C.floe_warehouse)(w), t, stream, &copts)
	return takeBuf(&buf), int(rc)
}

// floe_features_validate.
func FeaturesValidate(definitionPath string) ([]byte, int) {
	d := cstring(definitionPath, false)
	defer free(d)
	var buf C.floe_buf
	rc := C.floe_features_validate(&buf, d)
	return takeBuf(&buf), int(rc)
}

// floe_features_compute: fills a stream allocated in C memory (free it with StreamFree) and moves events.
func FeaturesCompute(definitionPath string, events *ArrowArrayStream, from, to string) (*ArrowArrayStream, int) {
	d, f, t := cstring(definitionPath, false), cstring(from, false), cstring(to, false)
	defer free(d)
	defer free(f)
	defer free(t)
	out := StreamAlloc()
	rc := C.floe_features_compute(out, d, events, f, t)
	return out, int(rc)
}

// StreamReleased reports whether a stream has been released (release == NULL), e.g. after a call moved it.
func StreamReleased(s *ArrowArrayStream) bool { return s.release == nil }
