package floe_test

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"floe.invalid/floe"
)

const plainSchema = "id:long not null,amount:double,name:string"

// num reads a json.Number field of a Report as an int64 (-1 when absent or not a number).
func num(v any) int64 {
	n, ok := v.(json.Number)
	if !ok {
		return -1
	}
	i, err := n.Int64()
	if err != nil {
		return -1
	}
	return i
}

func TestDeleteDropRegisterAndRefs(t *testing.T) {
	w, dir := openTemp(t)
	if err := w.CreateTable("db.parts", plainSchema, "name"); err != nil {
		t.Fatal(err)
	}
	first, err := w.Ingest("db.parts", writeFile(t, dir, "a.csv", "id,amount,name\n1,1.0,a\n2,2.0,a\n3,3.0,b\n"), floe.IngestOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.CreateTag("db.parts", "v1", ""); err != nil {
		t.Fatal(err)
	}
	deleted, err := w.Delete("db.parts", "name = 'a'", "")
	if err != nil || num(deleted["deleted_files"]) != 1 {
		t.Fatalf("Delete: %v %v", deleted, err)
	}
	if n, _ := w.Count("db.parts", ""); n != 1 {
		t.Fatalf("rows after delete: %d", n)
	}
	// Main moved on; a branch replaced back to the tagged snapshot still sees all three rows.
	if err := w.CreateBranch("db.parts", "old", ""); err != nil {
		t.Fatal(err)
	}
	if r, err := w.ReplaceBranch("db.parts", "old", "v1"); err != nil || num(r["snapshot_id"]) != first.SnapshotID {
		t.Fatalf("ReplaceBranch: %v %v", r, err)
	}
	if err := w.DropRef("db.parts", "v1", true); err != nil {
		t.Fatal(err)
	}
	if err := w.DropRef("db.parts", "v1", true); !errors.Is(err, floe.ErrNotFound) {
		t.Fatalf("second drop: %v", err)
	}
	check, err := w.CheckTable("db.parts", true)
	if err != nil || check["healthy"] != true {
		t.Fatalf("CheckTable: %v %v", check, err)
	}
	info, err := w.Describe("db.parts")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.RegisterTable("db.back", strings.TrimPrefix(info.MetadataLocation, "file://"), nil); err != nil {
		t.Fatal(err)
	}
	if n, _ := w.Count("db.back", ""); n != 1 {
		t.Fatalf("rows after register: %d", n)
	}
	if _, err := w.DropTable("db.back", false, false); err != nil {
		t.Fatal(err)
	}
	dropped, err := w.DropTable("db.parts", true, false)
	if err != nil || dropped["purged"] != true {
		t.Fatalf("DropTable purge: %v %v", dropped, err)
	}
	if _, err := os.Stat(strings.TrimPrefix(info.MetadataLocation, "file://")); !os.IsNotExist(err) {
		t.Fatalf("metadata file survived a purge: %v", err)
	}
}

func TestCompactExpireOrphans(t *testing.T) {
	w, dir := openTemp(t)
	if err := w.CreateTable("db.events", plainSchema, ""); err != nil {
		t.Fatal(err)
	}
	for i, row := range []string{"1,1.0,x\n", "2,2.0,y\n", "3,3.0,z\n"} {
		if _, err := w.Ingest("db.events", writeFile(t, dir, string(rune('a'+i))+".csv", "id,amount,name\n"+row), floe.IngestOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	if r, err := w.Compact("db.events", "", 2); err != nil || num(r["added_files"]) != 1 {
		t.Fatalf("Compact: %v %v", r, err)
	}
	if r, err := w.ExpireSnapshots("db.events", "99999999999999", 1, false); err != nil || len(r["expired_snapshot_ids"].([]any)) != 3 {
		t.Fatalf("ExpireSnapshots: %v %v", r, err)
	}
	info, _ := w.Describe("db.events")
	orphan := filepath.Join(strings.TrimPrefix(info.Location, "file://"), "data", "orphan.parquet")
	if err := os.WriteFile(orphan, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := w.RemoveOrphans("db.events", "99999999999999", false); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(orphan); !os.IsNotExist(err) {
		t.Fatalf("orphan survived: %v", err)
	}
	if n, _ := w.Count("db.events", ""); n != 3 {
		t.Fatalf("rows: %d", n)
	}
}

func TestCreateWithPropertiesAndUpgrade(t *testing.T) {
	w, _ := openTemp(t)
	if err := w.CreateTableWithProperties("db.v3", plainSchema, "", map[string]string{"format-version": "3", "owner": "go"}); err != nil {
		t.Fatal(err)
	}
	info, err := w.Describe("db.v3")
	if err != nil {
		t.Fatal(err)
	}
	if info.FormatVersion != 3 || info.Properties["owner"] != "go" {
		t.Fatalf("format %d, properties %v", info.FormatVersion, info.Properties)
	}
	if err := w.CreateTable("db.v2", plainSchema, ""); err != nil {
		t.Fatal(err)
	}
	upgraded, err := w.UpgradeTable("db.v2", 3)
	if err != nil {
		t.Fatal(err)
	}
	if upgraded.FormatVersion != 3 {
		t.Fatalf("upgraded to format %d", upgraded.FormatVersion)
	}
	var floeErr *floe.Error
	if _, err := w.UpgradeTable("db.v2", 2); !errors.As(err, &floeErr) || floeErr.Code != floe.CodeInvalidArg {
		t.Fatalf("downgrade: %v", err)
	}
	if err := w.CreateTableWithProperties("db.bad", plainSchema, "", map[string]string{"format-version": "9"}); !errors.As(err, &floeErr) || floeErr.Code != floe.CodeInvalidArg {
		t.Fatalf("format-version 9: %v", err)
	}
}

func TestForget(t *testing.T) {
	w, dir := openTemp(t)
	if err := w.CreateTable("db.a", "user_id:long,amount:double", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Ingest("db.a", writeFile(t, dir, "a.csv", "user_id,amount\n7,1.0\n8,2.0\n7,3.0\n"), floe.IngestOptions{}); err != nil {
		t.Fatal(err)
	}
	dry, err := w.Forget("user_id", "7", nil, true, "")
	if err != nil {
		t.Fatal(err)
	}
	tables, _ := dry["tables"].([]any)
	if len(tables) != 1 || num(tables[0].(map[string]any)["deleted_rows"]) != 2 {
		t.Fatalf("dry run: %v", dry)
	}
	if _, err := w.Forget("user_id", "7", []string{"db.a"}, false, "erasure request"); err != nil {
		t.Fatal(err)
	}
	n, err := w.Count("db.a", "")
	if err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Fatalf("%d rows left, want 1", n)
	}
}
