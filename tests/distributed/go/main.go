// A Go worker of the multi-process backfill test, through the Go binding: runs each task file and writes its result
// as RESULTS_DIR/<task file name>. Usage: worker WAREHOUSE TASK.json... RESULTS_DIR. With FLOE_TEST_STARTED set, it
// touches that file before each task, so the test can kill it in the middle of one, and never finishes its second
// task: should the task's work end before the kill arrives (a loaded machine), it waits, result unwritten, to be killed.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"floe.invalid/floe"
)

func main() {
	if len(os.Args) < 4 {
		fmt.Fprintln(os.Stderr, "usage: worker WAREHOUSE TASK.json... RESULTS_DIR")
		os.Exit(2)
	}
	wh, err := floe.Open(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer wh.Close()
	results := os.Args[len(os.Args)-1]
	started := os.Getenv("FLOE_TEST_STARTED")
	for i, taskFile := range os.Args[2 : len(os.Args)-1] {
		task, err := os.ReadFile(taskFile)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		if started != "" {
			if err := os.WriteFile(started, []byte(taskFile), 0o644); err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(1)
			}
		}
		result, err := wh.ExecuteTask(json.RawMessage(task))
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		for started != "" && i == 1 {
			time.Sleep(time.Second)
		}
		// A worker killed mid-write must leave no half result behind: write beside, then rename.
		out := filepath.Join(results, filepath.Base(taskFile))
		if err := os.WriteFile(out+".tmp", result, 0o644); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		if err := os.Rename(out+".tmp", out); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
}
