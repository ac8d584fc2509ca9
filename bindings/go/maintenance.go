package floe

import (
	"bytes"
	"encoding/json"
	"strings"

	"floe.invalid/floe/internal/capi"
)

// Report is the JSON object a lifecycle, maintenance or ref call returns (the CLI's --json of the same command).
// Numbers are json.Number, so 64-bit snapshot ids survive exactly.
type Report map[string]any

func (w *Warehouse) report(f func(h capi.Warehouse) ([]byte, int)) (Report, error) {
	var out Report
	if err := w.jsonNumbersCall(&out, f); err != nil {
		return nil, err
	}
	return out, nil
}

// jsonNumbersCall is jsonCall with numbers decoded as json.Number where out holds them untyped, so 64-bit ids and
// exact sums survive.
func (w *Warehouse) jsonNumbersCall(out any, f func(h capi.Warehouse) ([]byte, int)) error {
	var raw json.RawMessage
	if err := w.jsonCall(&raw, f); err != nil {
		return err
	}
	decoder := json.NewDecoder(bytes.NewReader(raw))
	decoder.UseNumber()
	if err := decoder.Decode(out); err != nil {
		return &Error{Code: CodeInternal, Category: CodeInternal.String(), Message: "the library returned malformed JSON: " + err.Error()}
	}
	return nil
}

// CheckTable loads a table and verifies the files its current (or every) snapshot references; a broken table
// is a report with "healthy": false, not an error.
func (w *Warehouse) CheckTable(table string, allSnapshots bool) (Report, error) {
	return w.report(func(h capi.Warehouse) ([]byte, int) { return capi.TableCheck(h, table, allSnapshots) })
}

// DropTable drops a table; purge also deletes exactly the files its metadata references (a registered table's
// only with deleteRegisteredFiles).
func (w *Warehouse) DropTable(table string, purge, deleteRegisteredFiles bool) (Report, error) {
	return w.report(func(h capi.Warehouse) ([]byte, int) { return capi.TableDrop(h, table, purge, deleteRegisteredFiles) })
}

// RegisterTable registers an existing Iceberg table by its metadata file; locationMap (may be nil) maps recorded
// location prefixes to where the files are now.
func (w *Warehouse) RegisterTable(name, metadataFile string, locationMap map[string]string) (*TableInfo, error) {
	mapping := ""
	if locationMap != nil {
		data, err := json.Marshal(locationMap)
		if err != nil {
			return nil, err
		}
		mapping = string(data)
	}
	var info TableInfo
	if err := w.jsonCall(&info, func(h capi.Warehouse) ([]byte, int) { return capi.TableRegister(h, name, metadataFile, mapping) }); err != nil {
		return nil, err
	}
	return &info, nil
}

// Delete removes, in one snapshot, the data files whose rows all match filter (whole partitions), as
// `floe delete`; branch "" is main.
func (w *Warehouse) Delete(table, filter, branch string) (Report, error) {
	return w.report(func(h capi.Warehouse) ([]byte, int) { return capi.TableDelete(h, table, filter, branch) })
}

// Forget deletes one entity's rows (column key = value) from every table with that column, or from the listed tables,
// one snapshot per table with reason in its summary (the CLI's `floe forget --json`). The report holds "dry_run" and
// "tables": [{"table", "snapshot_id", "deleted_rows"}].
func (w *Warehouse) Forget(key, value string, tables []string, dryRun bool, reason string) (Report, error) {
	return w.report(func(h capi.Warehouse) ([]byte, int) {
		return capi.TableForget(h, key, value, strings.Join(tables, ","), dryRun, reason)
	})
}

// ExpireSnapshots expires snapshots older than olderThan ("" = no bound) and/or beyond the newest retainLast
// (0 = no bound) per branch.
func (w *Warehouse) ExpireSnapshots(table, olderThan string, retainLast int, dryRun bool) (Report, error) {
	return w.report(func(h capi.Warehouse) ([]byte, int) {
		return capi.ExpireSnapshots(h, table, olderThan, int32(retainLast), dryRun, false)
	})
}

// RemoveOrphans deletes unreferenced files under the table location older than olderThan ("" = 3 days ago).
func (w *Warehouse) RemoveOrphans(table, olderThan string, dryRun bool) (Report, error) {
	return w.report(func(h capi.Warehouse) ([]byte, int) { return capi.RemoveOrphans(h, table, olderThan, dryRun, false) })
}

// Compact rewrites small data files of the partitions filter selects ("" = all); minInputFiles 0 = default.
func (w *Warehouse) Compact(table, filter string, minInputFiles int) (Report, error) {
	return w.report(func(h capi.Warehouse) ([]byte, int) {
		return capi.Compact(h, table, filter, 0, 0, int32(minInputFiles))
	})
}

// CreateTag creates tag name at from ("" = main's head).
func (w *Warehouse) CreateTag(table, name, from string) (Report, error) {
	return w.report(func(h capi.Warehouse) ([]byte, int) { return capi.TagCreate(h, table, name, from) })
}

// ReplaceBranch points existing branch name at to (no ancestry check).
func (w *Warehouse) ReplaceBranch(table, name, to string) (Report, error) {
	return w.report(func(h capi.Warehouse) ([]byte, int) { return capi.RefReplace(h, table, name, to, false) })
}

// ReplaceTag points existing tag name at to.
func (w *Warehouse) ReplaceTag(table, name, to string) (Report, error) {
	return w.report(func(h capi.Warehouse) ([]byte, int) { return capi.RefReplace(h, table, name, to, true) })
}

// DropRef drops a branch (never main) or, with tag, a tag.
func (w *Warehouse) DropRef(table, name string, tag bool) error {
	return w.with(func(h capi.Warehouse) int { return capi.RefDrop(h, table, name, tag) })
}

// CherryPick applies one snapshot's changes onto branch ("" = main) and returns the new snapshot.
func (w *Warehouse) CherryPick(table string, snapshotID int64, branch string) (Report, error) {
	return w.report(func(h capi.Warehouse) ([]byte, int) { return capi.CherryPick(h, table, snapshotID, branch) })
}
