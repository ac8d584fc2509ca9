package floe

import (
	"context"
	"encoding/json"
	"errors"

	"floe.invalid/floe/internal/capi"
)

// BackfillRequest describes a backfill (the CLI's `floe backfill` options). From and To are UTC dates
// ("2024-01-01"); To is exclusive. Zero values mean "not given".
type BackfillRequest struct {
	Definition  string `json:"definition"`
	From        string `json:"from"`
	To          string `json:"to"`
	Source      string `json:"source,omitempty"`
	CodeVersion string `json:"code_version,omitempty"`
	Branch      string `json:"branch,omitempty"`
	// Wap commits to Branch (default "wap-<name>"), never to main.
	Wap         bool   `json:"wap,omitempty"`
	CommitEvery int    `json:"commit_every,omitempty"`
	MaxMemory   string `json:"max_memory,omitempty"`
	// Restart starts at From even when an unfinished run of the same backfill could be resumed.
	Restart bool `json:"-"`
	// Progress, when set, is called on the calling goroutine after each computed day and each commit;
	// returning true cancels the run.
	Progress func(daysDone, daysTotal, rows int64) bool `json:"-"`
}

// BackfillResult is the summary of `floe backfill --json`; Raw holds the whole object.
type BackfillResult struct {
	Table       string            `json:"table"`
	Branch      string            `json:"branch"`
	SnapshotID  int64             `json:"snapshot_id"`
	SnapshotIDs []int64           `json:"snapshot_ids"`
	Days        int               `json:"days"`
	Rows        int64             `json:"rows"`
	Files       int64             `json:"files"`
	Lineage     map[string]string `json:"lineage"`
	Raw         json.RawMessage   `json:"-"`
}

// Backfill computes a feature group for the days in [From, To) and replaces those days of its feature table
// atomically. Cancelling ctx (checked at each progress report, i.e. after each day) stops the run before its
// next commit and returns an error matching both ErrCancelled and ctx.Err().
func (w *Warehouse) Backfill(ctx context.Context, req BackfillRequest) (*BackfillResult, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	body := struct {
		BackfillRequest
		Resume bool `json:"resume"`
	}{req, !req.Restart}
	request, err := json.Marshal(body)
	if err != nil {
		return nil, &Error{Code: CodeInvalidArg, Category: CodeInvalidArg.String(), Message: err.Error()}
	}
	progress := func(daysDone, daysTotal, rows int64) bool {
		if ctx.Err() != nil {
			return true
		}
		stop := req.Progress != nil && req.Progress(daysDone, daysTotal, rows)
		return stop || ctx.Err() != nil
	}
	result := &BackfillResult{}
	err = w.rawCall(result, &result.Raw, func(h capi.Warehouse) ([]byte, int) {
		return capi.BackfillRun(h, string(request), progress)
	})
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil && errors.Is(err, ErrCancelled) {
			return nil, &cancelled{err: err, cause: ctxErr}
		}
		return nil, err
	}
	return result, nil
}

// cancelled is a FLOE_ECANCELLED error caused by a context: errors.Is matches ErrCancelled and the context's error.
type cancelled struct {
	err   error
	cause error
}

func (c *cancelled) Error() string { return c.err.Error() }

// Unwrap gives the library's *Error (so errors.As finds it and errors.Is matches ErrCancelled).
func (c *cancelled) Unwrap() error { return c.err }

// Is matches the context's error too (context.Canceled or context.DeadlineExceeded).
func (c *cancelled) Is(target error) bool { return errors.Is(c.cause, target) }

// LineageSelector picks the snapshot Lineage inspects; the zero value means main's head.
type LineageSelector struct {
	SnapshotID int64  `json:"snapshot_id,omitempty"`
	Ref        string `json:"ref,omitempty"`
	AsOf       string `json:"as_of,omitempty"`
}

// PartitionLineage is one partition of a lineage report.
type PartitionLineage struct {
	Partition  string            `json:"partition"`
	Rows       int64             `json:"rows"`
	Files      int64             `json:"files"`
	SnapshotID int64             `json:"snapshot_id"`
	Lineage    map[string]string `json:"lineage"`
}

// LineageReport is `floe lineage --json`; Raw holds the whole object.
type LineageReport struct {
	Table      string             `json:"table"`
	SnapshotID int64              `json:"snapshot_id"`
	Partitions []PartitionLineage `json:"partitions"`
	Raw        json.RawMessage    `json:"-"`
}

// Lineage reports which snapshot, definition, code version and source produced each partition.
func (w *Warehouse) Lineage(table string, sel LineageSelector) (*LineageReport, error) {
	selector := ""
	if sel != (LineageSelector{}) {
		data, _ := json.Marshal(sel)
		selector = string(data)
	}
	report := &LineageReport{}
	if err := w.rawCall(report, &report.Raw, func(h capi.Warehouse) ([]byte, int) {
		return capi.LineageDescribe(h, table, selector)
	}); err != nil {
		return nil, err
	}
	return report, nil
}

// AuditOptions are the optional inputs of Audit; zero values mean the defaults.
type AuditOptions struct {
	Rules      string   `json:"rules,omitempty"`
	ReportDir  string   `json:"report_dir,omitempty"`
	KeyColumns []string `json:"key_columns,omitempty"`
}

// AuditResult is `floe audit --json`; Passed is the verdict, Raw holds the whole object.
type AuditResult struct {
	Passed     bool            `json:"passed"`
	SnapshotID int64           `json:"snapshot_id"`
	Raw        json.RawMessage `json:"-"`
}

// Audit audits a staging branch against main. A failed audit is not an error: read Passed.
func (w *Warehouse) Audit(table, branch string, opts AuditOptions) (*AuditResult, error) {
	options := ""
	if opts.Rules != "" || opts.ReportDir != "" || len(opts.KeyColumns) > 0 {
		data, _ := json.Marshal(opts)
		options = string(data)
	}
	result := &AuditResult{}
	if err := w.rawCall(result, &result.Raw, func(h capi.Warehouse) ([]byte, int) {
		return capi.AuditRun(h, table, branch, options)
	}); err != nil {
		return nil, err
	}
	return result, nil
}

// PublishResult is what Publish did.
type PublishResult struct {
	Table                  string `json:"table"`
	Branch                 string `json:"branch"`
	SnapshotID             int64  `json:"snapshot_id"`
	PreviousMainSnapshotID *int64 `json:"previous_main_snapshot_id"`
}

// Publish fast-forwards main to the audited branch's head; ErrValidation when no passing audit covers it.
func (w *Warehouse) Publish(table, branch string) (*PublishResult, error) {
	result := &PublishResult{}
	if err := w.jsonCall(result, func(h capi.Warehouse) ([]byte, int) { return capi.PublishRun(h, table, branch) }); err != nil {
		return nil, err
	}
	return result, nil
}

// TrainingSetRequest mirrors `floe training-set`: Features are "GROUP[:f1,f2]" (a definition file or a
// feature table). Zero values mean "not given".
type TrainingSetRequest struct {
	Spine     string   `json:"spine"`
	SpineTime string   `json:"spine_time,omitempty"`
	Features  []string `json:"features"`
	AsOf      string   `json:"as_of,omitempty"`
	Snapshot  int64    `json:"snapshot,omitempty"`
	Tag       string   `json:"tag,omitempty"`
	MaxAge    string   `json:"max_age,omitempty"`
	Output    string   `json:"output"`
}

// TrainingSetGroup is one feature group of a training set.
type TrainingSetGroup struct {
	Group   string   `json:"group"`
	Table   string   `json:"table"`
	Columns []string `json:"columns"`
	Matched int64    `json:"matched"`
}

// TrainingSetResult is `floe training-set --json`; Raw holds the whole object.
type TrainingSetResult struct {
	Rows   int64              `json:"rows"`
	Groups []TrainingSetGroup `json:"groups"`
	Raw    json.RawMessage    `json:"-"`
}

// TrainingSet joins the latest feature values at or before each spine row's time onto the spine and writes
// the output file.
func (w *Warehouse) TrainingSet(req TrainingSetRequest) (*TrainingSetResult, error) {
	request, _ := json.Marshal(req)
	result := &TrainingSetResult{}
	if err := w.rawCall(result, &result.Raw, func(h capi.Warehouse) ([]byte, int) {
		return capi.TrainingSetBuild(h, string(request))
	}); err != nil {
		return nil, err
	}
	return result, nil
}

// rawCall is jsonCall that also keeps the whole JSON in raw.
func (w *Warehouse) rawCall(out any, raw *json.RawMessage, f func(h capi.Warehouse) ([]byte, int)) error {
	if err := w.jsonCall(raw, f); err != nil {
		return err
	}
	if err := json.Unmarshal(*raw, out); err != nil {
		return &Error{Code: CodeInternal, Category: CodeInternal.String(), Message: "the library returned malformed JSON: " + err.Error()}
	}
	return nil
}
