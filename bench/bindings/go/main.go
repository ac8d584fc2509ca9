// The binding bench's Go driver. `backfill WAREHOUSE DEF FROM TO`: one backfill through the ABI. `calls WAREHOUSE`: the
// per-call overhead of a trivial call (Version: one cgo call and a C string) and of an error round trip. One JSON line.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"time"

	"floe.invalid/floe"
)

func main() {
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: bindingbench backfill WAREHOUSE DEFINITION FROM TO | bindingbench calls WAREHOUSE")
		os.Exit(2)
	}
	begin := time.Now()
	wh, err := floe.Open(os.Args[2])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer wh.Close()
	if os.Args[1] == "backfill" {
		result, err := wh.Backfill(context.Background(), floe.BackfillRequest{
			Definition: os.Args[3], From: os.Args[4], To: os.Args[5], CodeVersion: "bench"})
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		out, _ := json.Marshal(map[string]any{"driver": "go", "backfill_s": time.Since(begin).Seconds(), "rows": result.Rows})
		fmt.Println(string(out))
		return
	}

	const n = 1_000_000
	t0 := time.Now()
	for i := 0; i < n; i++ {
		_ = floe.Version()
	}
	trivial := float64(time.Since(t0).Nanoseconds()) / n

	// An invalid identifier is refused before any catalog access: the cost is the call and the error path.
	const m = 100_000
	t0 = time.Now()
	for i := 0; i < m; i++ {
		if _, err := wh.Describe(".bad"); err == nil {
			fmt.Fprintln(os.Stderr, "describe of an invalid name succeeded")
			os.Exit(1)
		}
	}
	errorTrip := float64(time.Since(t0).Nanoseconds()) / m

	out, _ := json.Marshal(map[string]any{"driver": "go", "trivial_call_ns": trivial, "error_round_trip_ns": errorTrip})
	fmt.Println(string(out))
}
