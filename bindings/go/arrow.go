package floe

import (
	"encoding/binary"
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"time"
	"unsafe"

	"floe.invalid/floe/internal/capi"
)

// Table is a scan result read into Go values, column by column.
type Table struct {
	Columns []Column
	NumRows int
}

// Column is one column of a Table. Values holds one entry per row, nil for null, typed by the Arrow format:
// int64 ("l"), int32 ("i"), int16 ("s"), int8 ("c"), float64 ("g"), float32 ("f"), bool ("b"), string ("u"),
// []byte ("z", "w:N", so uuid too), time.Time in UTC for date ("tdD") and timestamps ("tsu:", "tsn:"),
// time.Duration since midnight for time ("ttu"), and the exact decimal text for decimal ("d:P,S").
type Column struct {
	Name string
	// Format is the Arrow C Data Interface format string, e.g. "l" or "tsu:UTC".
	Format string
	Values []any
}

// Column returns the column called name, or nil.
func (t *Table) Column(name string) *Column {
	for i := range t.Columns {
		if t.Columns[i].Name == name {
			return &t.Columns[i]
		}
	}
	return nil
}

// Rows returns the table row by row, each a map from column name to value.
func (t *Table) Rows() []map[string]any {
	rows := make([]map[string]any, t.NumRows)
	for r := range rows {
		row := make(map[string]any, len(t.Columns))
		for _, c := range t.Columns {
			row[c.Name] = c.Values[r]
		}
		rows[r] = row
	}
	return rows
}

// cSchema and cArray mirror struct ArrowSchema and struct ArrowArray field for field (C Data Interface ABI).
type cSchema struct {
	format     *byte
	name       *byte
	metadata   *byte
	flags      int64
	nChildren  int64
	children   **cSchema
	dictionary *cSchema
	release    uintptr
	private    unsafe.Pointer
}

type cArray struct {
	length     int64
	nullCount  int64
	offset     int64
	nBuffers   int64
	nChildren  int64
	buffers    *unsafe.Pointer
	children   **cArray
	dictionary *cArray
	release    uintptr
	private    unsafe.Pointer
}

func goString(p *byte) string {
	if p == nil {
		return ""
	}
	n := 0
	for *(*byte)(unsafe.Add(unsafe.Pointer(p), n)) != 0 {
		n++
	}
	return string(unsafe.Slice(p, n))
}

func streamError(stream *capi.ArrowArrayStream, what string, rc int) error {
	msg := capi.StreamLastError(stream)
	if msg == "" {
		msg = fmt.Sprintf("%s failed with errno %d", what, rc)
	}
	return &Error{Code: CodeIO, Category: CodeIO.String(), Message: msg}
}

// readStream consumes a live stream (the caller frees it) into a Table.
func readStream(stream *capi.ArrowArrayStream) (*Table, error) {
	schema, rc := capi.StreamGetSchema(stream)
	defer capi.SchemaFree(schema)
	if rc != 0 {
		return nil, streamError(stream, "get_schema", rc)
	}
	s := (*cSchema)(unsafe.Pointer(schema))
	children := unsafe.Slice(s.children, s.nChildren)
	table := &Table{Columns: make([]Column, len(children))}
	for i, child := range children {
		table.Columns[i] = Column{Name: goString(child.name), Format: goString(child.format)}
	}
	for {
		batch, rc := capi.StreamGetNext(stream)
		if rc != 0 {
			capi.ArrayFree(batch)
			return nil, streamError(stream, "get_next", rc)
		}
		if capi.ArrayReleased(batch) {
			capi.ArrayFree(batch)
			return table, nil
		}
		err := appendBatch(table, (*cArray)(unsafe.Pointer(batch)))
		capi.ArrayFree(batch)
		if err != nil {
			return nil, err
		}
	}
}

func appendBatch(table *Table, batch *cArray) error {
	if int(batch.nChildren) != len(table.Columns) {
		return &Error{Code: CodeInvalidData, Category: CodeInvalidData.String(),
			Message: fmt.Sprintf("scan batch has %d columns, its schema %d", batch.nChildren, len(table.Columns))}
	}
	children := unsafe.Slice(batch.children, batch.nChildren)
	for i, child := range children {
		values, err := decode(table.Columns[i].Format, child, batch.offset, batch.length)
		if err != nil {
			return err
		}
		table.Columns[i].Values = append(table.Columns[i].Values, values...)
	}
	table.NumRows += int(batch.length)
	return nil
}

func buffer(a *cArray, i int) unsafe.Pointer {
	return unsafe.Slice(a.buffers, a.nBuffers)[i]
}

func bit(p unsafe.Pointer, i int64) bool {
	return (*(*byte)(unsafe.Add(p, i/8)))>>(i%8)&1 == 1
}

// decode turns n values of one child array into Go values. parentOffset is the struct batch's own offset,
// which applies on top of the child's.
func decode(format string, a *cArray, parentOffset, n int64) ([]any, error) {
	off := a.offset + parentOffset
	out := make([]any, n)
	validity := buffer(a, 0)
	valid := func(i int64) bool { return validity == nil || bit(validity, off+i) }
	fixed := func(width int64, read func(p unsafe.Pointer) any) {
		data := buffer(a, 1)
		for i := int64(0); i < n; i++ {
			if valid(i) {
				out[i] = read(unsafe.Add(data, (off+i)*width))
			}
		}
	}
	switch {
	case format == "l":
		fixed(8, func(p unsafe.Pointer) any { return *(*int64)(p) })
	case format == "i":
		fixed(4, func(p unsafe.Pointer) any { return *(*int32)(p) })
	case format == "s":
		fixed(2, func(p unsafe.Pointer) any { return *(*int16)(p) })
	case format == "c":
		fixed(1, func(p unsafe.Pointer) any { return *(*int8)(p) })
	case format == "g":
		fixed(8, func(p unsafe.Pointer) any { return *(*float64)(p) })
	case format == "f":
		fixed(4, func(p unsafe.Pointer) any { return *(*float32)(p) })
	case format == "tdD":
		fixed(4, func(p unsafe.Pointer) any { return time.Unix(int64(*(*int32)(p))*86400, 0).UTC() })
	case format == "ttu":
		fixed(8, func(p unsafe.Pointer) any { return time.Duration(*(*int64)(p)) * time.Microsecond })
	case strings.HasPrefix(format, "tsu:"):
		fixed(8, func(p unsafe.Pointer) any { return time.UnixMicro(*(*int64)(p)).UTC() })
	case strings.HasPrefix(format, "tsn:"):
		fixed(8, func(p unsafe.Pointer) any { return time.Unix(0, *(*int64)(p)).UTC() })
	case format == "b":
		data := buffer(a, 1)
		for i := int64(0); i < n; i++ {
			if valid(i) {
				out[i] = bit(data, off+i)
			}
		}
	case format == "u" || format == "z":
		offsets, data := buffer(a, 1), buffer(a, 2)
		for i := int64(0); i < n; i++ {
			if !valid(i) {
				continue
			}
			start := *(*int32)(unsafe.Add(offsets, (off+i)*4))
			end := *(*int32)(unsafe.Add(offsets, (off+i+1)*4))
			bytes := unsafe.Slice((*byte)(unsafe.Add(data, start)), end-start)
			if format == "u" {
				out[i] = string(bytes)
			} else {
				out[i] = append([]byte(nil), bytes...)
			}
		}
	case strings.HasPrefix(format, "w:"):
		width, err := strconv.ParseInt(format[2:], 10, 64)
		if err != nil {
			return nil, unsupported(format)
		}
		fixed(width, func(p unsafe.Pointer) any { return append([]byte(nil), unsafe.Slice((*byte)(p), width)...) })
	case strings.HasPrefix(format, "d:"):
		var precision, scale int
		if _, err := fmt.Sscanf(format, "d:%d,%d", &precision, &scale); err != nil {
			return nil, unsupported(format)
		}
		fixed(16, func(p unsafe.Pointer) any { return decimalText(unsafe.Slice((*byte)(p), 16), scale) })
	default:
		return nil, unsupported(format)
	}
	return out, nil
}

func unsupported(format string) error {
	return &Error{Code: CodeUnsupported, Category: CodeUnsupported.String(),
		Message: fmt.Sprintf("Scan does not decode Arrow format %q", format)}
}

// decimalText formats a little-endian two's-complement 128-bit unscaled value with scale digits.
func decimalText(le []byte, scale int) string {
	lo, hi := binary.LittleEndian.Uint64(le[:8]), binary.LittleEndian.Uint64(le[8:])
	v := new(big.Int).SetUint64(hi)
	v.Lsh(v, 64).Or(v, new(big.Int).SetUint64(lo))
	if hi>>63 == 1 {
		v.Sub(v, new(big.Int).Lsh(big.NewInt(1), 128))
	}
	if scale <= 0 {
		return v.String()
	}
	return new(big.Rat).SetFrac(v, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(scale)), nil)).FloatString(scale)
}
