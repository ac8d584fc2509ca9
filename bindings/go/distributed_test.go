package floe_test

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"testing"

	"floe.invalid/floe"
)

func TestDistributedBackfillTasksOnGoroutinesEqualsOneProcess(t *testing.T) {
	w, _, def, _ := eventsWarehouse(t)
	plan := must(w.PlanBackfill(floe.BackfillRequest{Definition: def, From: "2024-01-01", To: "2024-01-04", CodeVersion: "v1", Branch: "dist"}))(t)
	if len(plan.Tasks) != days {
		t.Fatalf("%d tasks", len(plan.Tasks))
	}
	results := make([]json.RawMessage, len(plan.Tasks))
	errs := make([]error, len(plan.Tasks))
	var wg sync.WaitGroup
	for i, task := range plan.Tasks {
		wg.Add(1)
		go func(i int, task json.RawMessage) {
			defer wg.Done()
			results[i], errs[i] = w.ExecuteTask(task)
		}(i, task)
	}
	wg.Wait()
	for _, err := range errs {
		ok(t, err)
	}
	if _, err := w.CommitTasks(plan, results[:1]); !errors.Is(err, floe.ErrInvalidArg) {
		t.Fatalf("commit of one day of three: %v", err)
	}
	committed := must(w.CommitTasks(plan, results))(t)
	single := must(w.Backfill(context.Background(), floe.BackfillRequest{Definition: def, From: "2024-01-01", To: "2024-01-04", CodeVersion: "v1"}))(t)
	if committed.Branch != "dist" || committed.Rows != single.Rows || committed.Rows == 0 {
		t.Fatalf("committed %s, single %s", committed.Raw, single.Raw)
	}
}
