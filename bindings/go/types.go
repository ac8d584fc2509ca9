package floe

import "encoding/json"

// TableInfo describes a table (the CLI's `floe table show --json`). Raw holds the whole JSON object,
// including the schema, partition spec and refs.
type TableInfo struct {
	Name              string            `json:"name"`
	MetadataLocation  string            `json:"metadata_location"`
	Location          string            `json:"location"`
	FormatVersion     int               `json:"format_version"`
	CurrentSnapshotID *int64            `json:"current_snapshot_id"`
	Properties        map[string]string `json:"properties"`
	Raw               json.RawMessage   `json:"-"`
}

// Snapshot is one entry of a table's history (the CLI's `floe snapshots --json`); Raw holds the whole object.
type Snapshot struct {
	SnapshotID int64           `json:"snapshot_id"`
	Operation  string          `json:"operation"`
	Raw        json.RawMessage `json:"-"`
}

// IngestResult is the commit Ingest made.
type IngestResult struct {
	SnapshotID int64             `json:"snapshot_id"`
	Operation  string            `json:"operation"`
	Rows       int64             `json:"rows"`
	Files      int64             `json:"files"`
	Summary    map[string]string `json:"summary"`
}

// AggregateValue is one aggregate of Warehouse.Aggregate. Value is nil for SQL NULL, a json.Number for a number
// (exact for 64-bit sums) and a string for dates, timestamps, NaN and infinities.
type AggregateValue struct {
	Name  string `json:"name"`
	Type  string `json:"type"`
	Value any    `json:"value"`
}

// AggregateResult is what Warehouse.Aggregate returns: the values in the order asked, the snapshot read (nil for
// an empty table) and how much was answered from statistics rather than decoded.
type AggregateResult struct {
	Aggregates              []AggregateValue `json:"aggregates"`
	SnapshotID              *int64           `json:"snapshot_id"`
	FilesFromStatistics     int64            `json:"files_from_statistics"`
	RowGroupsFromStatistics int64            `json:"row_groups_from_statistics"`
	RowGroupsDecoded        int64            `json:"row_groups_decoded"`
	DataFiles               int64            `json:"data_files"`
}
