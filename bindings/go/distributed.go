package floe

import (
	"encoding/json"

	"floe.invalid/floe/internal/capi"
)

// BackfillPlan is a backfill split into one task per day (the distributed protocol): run each of Tasks with
// ExecuteTask in any process that sees the warehouse, then CommitTasks once. Raw is the plan as the library wrote it.
type BackfillPlan struct {
	Table  string            `json:"table"`
	Branch string            `json:"branch"`
	Tasks  []json.RawMessage `json:"tasks"`
	Raw    json.RawMessage   `json:"-"`
}

// PlanBackfill plans req (its Progress, CommitEvery, MaxMemory and Restart do not apply).
func (w *Warehouse) PlanBackfill(req BackfillRequest) (*BackfillPlan, error) {
	request, _ := json.Marshal(req)
	plan := &BackfillPlan{}
	if err := w.rawCall(plan, &plan.Raw, func(h capi.Warehouse) ([]byte, int) {
		return capi.BackfillPlan(h, string(request))
	}); err != nil {
		return nil, err
	}
	return plan, nil
}

// ExecuteTask runs one task of a plan: it writes the day's data files and commits nothing. The result is JSON
// for CommitTasks.
func (w *Warehouse) ExecuteTask(task json.RawMessage) (json.RawMessage, error) {
	var result json.RawMessage
	err := w.jsonCall(&result, func(h capi.Warehouse) ([]byte, int) { return capi.TaskExecute(h, string(task)) })
	return result, err
}

// CommitTasks commits one result per planned day as one snapshot.
func (w *Warehouse) CommitTasks(plan *BackfillPlan, results []json.RawMessage) (*BackfillResult, error) {
	all, _ := json.Marshal(results)
	result := &BackfillResult{}
	if err := w.rawCall(result, &result.Raw, func(h capi.Warehouse) ([]byte, int) {
		return capi.TasksCommit(h, string(plan.Raw), string(all))
	}); err != nil {
		return nil, err
	}
	return result, nil
}
