package floe

import (
	"encoding/json"
	"unsafe"

	"floe.invalid/floe/internal/capi"
)

// FeatureValidation is the result of ValidateFeatures (`floe features validate --json`).
type FeatureValidation struct {
	Valid  bool     `json:"valid"`
	Errors []string `json:"errors"`
}

// ValidateFeatures parses and checks a feature group definition (.json, .yaml or .yml). An invalid definition is
// a result (Valid false, Errors naming each problem), not an error; a missing file is ErrNotFound.
func ValidateFeatures(definition string) (*FeatureValidation, error) {
	var data []byte
	if err := call(func() int {
		var rc int
		data, rc = capi.FeaturesValidate(definition)
		return rc
	}); err != nil {
		return nil, err
	}
	out := &FeatureValidation{}
	if err := json.Unmarshal(data, out); err != nil {
		return nil, &Error{Code: CodeInternal, Category: CodeInternal.String(), Message: "the library returned malformed JSON: " + err.Error()}
	}
	return out, nil
}

// ComputeFeatures computes a feature group over events held in memory (the definition's own source is ignored;
// its lookback is whatever the events cover) for event times in [from, to) (dates or ISO-8601 timestamps, UTC
// unless an offset is given). It returns the output rows (entity keys, event time, every feature), oldest day
// first. A definition that does not fit the events' columns is ErrInvalidData. Needs no warehouse.
func ComputeFeatures(definition string, events []RecordBatch, from, to string) (*Table, error) {
	stream, err := buildStream(events)
	if err != nil {
		return nil, err
	}
	defer capi.StreamFree(stream)
	return computeFeatures(definition, stream, from, to)
}

// ComputeFeaturesStream is ComputeFeatures over a struct ArrowArrayStream* the caller built (e.g. with the Arrow Go
// library's cdata.ExportRecordReader). The stream is moved: the library releases it whatever the result; the
// struct's memory stays the caller's.
func ComputeFeaturesStream(definition string, events unsafe.Pointer, from, to string) (*Table, error) {
	return computeFeatures(definition, (*capi.ArrowArrayStream)(events), from, to)
}

// ComputeFeaturesFromScan is ComputeFeatures over a scan of table (opts as for Scan), streamed from the table
// into the computation without a copy.
func (w *Warehouse) ComputeFeaturesFromScan(definition, table string, opts ScanOptions, from, to string) (*Table, error) {
	return w.withScan(table, opts, func(stream *capi.ArrowArrayStream) (*Table, error) {
		return computeFeatures(definition, stream, from, to)
	})
}

// computeFeatures moves events into floe_features_compute and reads the output; the caller frees events' memory.
func computeFeatures(definition string, events *capi.ArrowArrayStream, from, to string) (*Table, error) {
	var out *capi.ArrowArrayStream
	err := call(func() int {
		var rc int
		out, rc = capi.FeaturesCompute(definition, events, from, to)
		return rc
	})
	defer capi.StreamFree(out)
	if err != nil {
		return nil, err
	}
	return readStream(out)
}
