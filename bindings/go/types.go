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
