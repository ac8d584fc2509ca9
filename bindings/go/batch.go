package floe

import (
	"encoding/binary"
	"fmt"
	"math"
	"time"
	"unsafe"

	"floe.invalid/floe/internal/capi"
)

// RecordBatch is one batch of columns built from Go slices, for IngestArrow and ComputeFeatures (no Arrow library
// needed). Columns come in the table's order and must all have the same length. Build them with Int64s, Float64s,
// Strings, TimestampTZs, ...; a nil valid slice means every value is present, else valid[i] false makes row i null.
type RecordBatch struct {
	Columns []ArrowColumn
}

// ArrowColumn is one column of a RecordBatch, its values already laid out as Arrow buffers.
type ArrowColumn struct {
	Name string
	// Format is the Arrow C Data Interface format, e.g. "l" (int64) or "tsu:UTC" (timestamptz).
	Format string
	length int
	nulls  int64
	// validity is an LSB-first bitmap (nil when nothing is null), values the fixed-width values or the int32
	// offsets of a variable-width column, data the bytes of a variable-width column.
	validity []byte
	values   []byte
	data     []byte
	err      error
}

// Len is the column's number of rows.
func (c ArrowColumn) Len() int { return c.length }

func bitmap(n int, get func(i int) bool) []byte {
	out := make([]byte, (n+7)/8)
	for i := 0; i < n; i++ {
		if get(i) {
			out[i/8] |= 1 << (i % 8)
		}
	}
	return out
}

func column(name, format string, n int, valid []bool, values []byte) ArrowColumn {
	c := ArrowColumn{Name: name, Format: format, length: n, values: values}
	if valid != nil {
		if len(valid) != n {
			c.err = fmt.Errorf("column %q: valid has %d entries for %d values", name, len(valid), n)
			return c
		}
		for _, v := range valid {
			if !v {
				c.nulls++
			}
		}
		if c.nulls > 0 {
			c.validity = bitmap(n, func(i int) bool { return valid[i] })
		}
	}
	return c
}

// fixedBytes copies a slice of fixed-width numbers into little-endian bytes (Arrow's layout on every supported host).
func fixedBytes[T int32 | int64 | float32 | float64](values []T, width int, put func(b []byte, v T)) []byte {
	out := make([]byte, len(values)*width)
	for i, v := range values {
		put(out[i*width:], v)
	}
	return out
}

func putInt64(b []byte, v int64)     { binary.LittleEndian.PutUint64(b, uint64(v)) }
func putInt32(b []byte, v int32)     { binary.LittleEndian.PutUint32(b, uint32(v)) }
func putFloat64(b []byte, v float64) { binary.LittleEndian.PutUint64(b, math.Float64bits(v)) }
func putFloat32(b []byte, v float32) { binary.LittleEndian.PutUint32(b, math.Float32bits(v)) }

// Int64s is a long column (Arrow int64).
func Int64s(name string, values []int64, valid []bool) ArrowColumn {
	return column(name, "l", len(values), valid, fixedBytes(values, 8, putInt64))
}

// Int32s is an int column (Arrow int32).
func Int32s(name string, values []int32, valid []bool) ArrowColumn {
	return column(name, "i", len(values), valid, fixedBytes(values, 4, putInt32))
}

// Float64s is a double column (Arrow float64).
func Float64s(name string, values []float64, valid []bool) ArrowColumn {
	return column(name, "g", len(values), valid, fixedBytes(values, 8, putFloat64))
}

// Float32s is a float column (Arrow float32).
func Float32s(name string, values []float32, valid []bool) ArrowColumn {
	return column(name, "f", len(values), valid, fixedBytes(values, 4, putFloat32))
}

// Bools is a boolean column.
func Bools(name string, values []bool, valid []bool) ArrowColumn {
	return column(name, "b", len(values), valid, bitmap(len(values), func(i int) bool { return values[i] }))
}

func variable(name, format string, n int, valid []bool, item func(i int) []byte) ArrowColumn {
	offsets := make([]byte, (n+1)*4)
	var data []byte
	for i := 0; i < n; i++ {
		if valid == nil || (i < len(valid) && valid[i]) {
			data = append(data, item(i)...)
		}
		if len(data) > math.MaxInt32 {
			return ArrowColumn{Name: name, Format: format, err: fmt.Errorf("column %q holds more than 2 GiB; split the batch", name)}
		}
		binary.LittleEndian.PutUint32(offsets[(i+1)*4:], uint32(len(data)))
	}
	c := column(name, format, n, valid, offsets)
	c.data = data
	return c
}

// Strings is a string column (Arrow utf8); Go strings are taken as UTF-8 bytes.
func Strings(name string, values []string, valid []bool) ArrowColumn {
	return variable(name, "u", len(values), valid, func(i int) []byte { return []byte(values[i]) })
}

// Binaries is a binary column.
func Binaries(name string, values [][]byte, valid []bool) ArrowColumn {
	return variable(name, "z", len(values), valid, func(i int) []byte { return values[i] })
}

func micros(values []time.Time) []int64 {
	out := make([]int64, len(values))
	for i, t := range values {
		out[i] = t.UnixMicro()
	}
	return out
}

// TimestampTZs is a timestamptz column (Arrow timestamp[us, UTC]); sub-microsecond digits are truncated.
func TimestampTZs(name string, values []time.Time, valid []bool) ArrowColumn {
	return column(name, "tsu:UTC", len(values), valid, fixedBytes(micros(values), 8, putInt64))
}

// Timestamps is a timestamp column (no time zone): each value's wall clock in UTC, to the microsecond.
func Timestamps(name string, values []time.Time, valid []bool) ArrowColumn {
	return column(name, "tsu:", len(values), valid, fixedBytes(micros(values), 8, putInt64))
}

// Dates is a date column (Arrow date32): each value's UTC calendar day.
func Dates(name string, values []time.Time, valid []bool) ArrowColumn {
	days := make([]int32, len(values))
	for i, t := range values {
		seconds := t.Unix()
		day := seconds / 86400
		if seconds%86400 < 0 {
			day-- // floor, not truncation, before 1970
		}
		days[i] = int32(day)
	}
	return column(name, "tdD", len(values), valid, fixedBytes(days, 4, putInt32))
}

func invalidArg(format string, args ...any) error {
	return &Error{Code: CodeInvalidArg, Category: CodeInvalidArg.String(), Message: fmt.Sprintf(format, args...)}
}

// buildStream copies batches into a C stream; the caller frees it with capi.StreamFree.
func buildStream(batches []RecordBatch) (*capi.ArrowArrayStream, error) {
	if len(batches) == 0 {
		return nil, invalidArg("an Arrow stream needs at least one batch (it gives the schema)")
	}
	first := batches[0].Columns
	if len(first) == 0 {
		return nil, invalidArg("a batch needs at least one column")
	}
	names, formats := make([]string, len(first)), make([]string, len(first))
	for c, col := range first {
		names[c], formats[c] = col.Name, col.Format
	}
	lengths := make([]int64, len(batches))
	buffers := make([][]capi.ColumnBuffers, len(batches))
	for b, batch := range batches {
		if len(batch.Columns) != len(first) {
			return nil, invalidArg("batch %d has %d columns, batch 0 has %d", b, len(batch.Columns), len(first))
		}
		buffers[b] = make([]capi.ColumnBuffers, len(first))
		for c, col := range batch.Columns {
			if col.err != nil {
				return nil, invalidArg("%v", col.err)
			}
			if col.Name != names[c] || col.Format != formats[c] {
				return nil, invalidArg("batch %d column %d is %q (%s), batch 0 has %q (%s)", b, c, col.Name, col.Format, names[c], formats[c])
			}
			if col.length != batch.Columns[0].length {
				return nil, invalidArg("batch %d: column %q has %d rows, column %q %d", b, col.Name, col.length,
					batch.Columns[0].Name, batch.Columns[0].length)
			}
			buffers[b][c] = capi.ColumnBuffers{NullCount: col.nulls, Validity: col.validity, Values: col.values, Data: col.data}
		}
		lengths[b] = int64(batch.Columns[0].length)
	}
	stream, rc := capi.BuildStream(names, formats, lengths, buffers)
	if rc != 0 {
		return nil, &Error{Code: CodeInternal, Category: CodeInternal.String(), Message: "out of memory building the Arrow stream"}
	}
	return stream, nil
}

// IngestArrow loads batches into a table in one atomic commit: appended, or with OverwritePartitions replacing
// exactly the partitions the batches touch. The columns must be the table's, in order, by name and Arrow type
// (a schema mismatch is ErrInvalidData naming the column). The batches are copied into C memory for the call.
func (w *Warehouse) IngestArrow(table string, batches []RecordBatch, opts IngestOptions) (*IngestResult, error) {
	stream, err := buildStream(batches)
	if err != nil {
		return nil, err
	}
	defer capi.StreamFree(stream)
	return w.IngestArrowStream(table, unsafe.Pointer(stream), opts)
}

// IngestArrowStream is IngestArrow of a struct ArrowArrayStream* the caller built (e.g. with the Arrow Go
// library's cdata.ExportRecordReader). The stream is moved: the library releases it whatever the result; the
// struct's memory stays the caller's.
func (w *Warehouse) IngestArrowStream(table string, stream unsafe.Pointer, opts IngestOptions) (*IngestResult, error) {
	// Moved on every path, also when the call never reaches the library (a closed warehouse, bad options).
	defer capi.StreamRelease((*capi.ArrowArrayStream)(stream))
	copts, err := ingestOptions(opts)
	if err != nil {
		return nil, err
	}
	result := &IngestResult{}
	err = w.jsonCall(result, func(h capi.Warehouse) ([]byte, int) {
		return capi.IngestArrow(h, table, (*capi.ArrowArrayStream)(stream), copts)
	})
	if err != nil {
		return nil, err
	}
	return result, nil
}
