package profile

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func observeSample(store *Store, start time.Time) {
	store.Observe(Observation{Namespace: "agents", Pod: "a", ContainerID: "c1", At: start, Syscall: "read", Executable: "/usr/bin/python3",
		Connection: &Connection{Direction: "egress", Protocol: "tcp", Peer: "203.0.113.10", Port: 443, DNSName: "api.openai.com"},
		File:       &File{Path: "/var/run/secrets/kubernetes.io/serviceaccount/token", Category: "service-account-token"},
		LLM:        &LLMEndpoint{Provider: "openai", Host: "api.openai.com", Path: "/v1/chat/completions", Model: "gpt-4o"},
		Tools:      []string{"search"}})
	store.Observe(Observation{Namespace: "agents", Pod: "a", At: start.Add(2 * time.Minute), Executable: "/bin/sh"})
	store.Observe(Observation{Namespace: "tools", Pod: "b", At: start.Add(time.Second), Syscall: "write"})
}

func TestProfilesSurviveSaveAndLoad(t *testing.T) {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	path := filepath.Join(t.TempDir(), "profiles.json")
	before := NewStore(time.Minute)
	observeSample(before, start)
	if !before.Changed() {
		t.Fatal("observations did not mark the store changed")
	}
	if err := before.Save(path); err != nil {
		t.Fatal(err)
	}
	if before.Changed() {
		t.Fatal("still changed after saving")
	}

	after := NewStore(time.Minute)
	if err := after.Load(path); err != nil {
		t.Fatal(err)
	}
	now := start.Add(5 * time.Minute)
	for _, pod := range [][2]string{{"agents", "a"}, {"tools", "b"}} {
		want, _ := before.Get(pod[0], pod[1], now)
		got, ok := after.Get(pod[0], pod[1], now)
		if !ok || !reflect.DeepEqual(got, want) {
			t.Fatalf("%s/%s after a restart:\n got %+v\nwant %+v", pod[0], pod[1], got, want)
		}
	}
	if snap, _ := after.Get("agents", "a", now); snap.State != "drifted" || !snap.Since.Equal(start) {
		t.Fatalf("learning state not kept: %s since %v", snap.State, snap.Since)
	}
	// Observations after the restart continue the same entries: counts go on, nothing already known is "new".
	after.Observe(Observation{Namespace: "tools", Pod: "b", At: start.Add(10 * time.Minute), Syscall: "write"})
	snap, _ := after.Get("tools", "b", start.Add(10*time.Minute))
	if snap.State != "stable" || snap.SyscallItems[0].Count != 2 || snap.SyscallItems[0].New {
		t.Fatalf("a known syscall after the restart: %s %+v", snap.State, snap.SyscallItems)
	}
}

func TestCorruptProfileFilesAreRefusedWithAReason(t *testing.T) {
	dir := t.TempDir()
	cases := map[string]string{
		"not JSON":        "{\"version\": 1, \"pods\": {",
		"another version": `{"version": 99, "pods": {}}`,
		"no start time":   `{"version": 1, "pods": {"a/b": {"syscalls": []}}}`,
		"wrong types":     `{"version": 1, "pods": {"a/b": {"since": "yesterday"}}}`,
		"empty file":      "",
	}
	for name, content := range cases {
		path := filepath.Join(dir, strings.ReplaceAll(name, " ", "-"))
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		store := NewStore(time.Minute)
		observeSample(store, time.Now())
		err := store.Load(path)
		if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), path) {
			t.Fatalf("%s: Load gave %v, want an ErrCorrupt naming the file", name, err)
		}
		if len(store.Pods()) != 2 { // the store is left as it was: the two pods observed
			t.Fatalf("%s: a refused file changed the store: %v", name, store.Pods())
		}
	}
	if err := NewStore(time.Minute).Load(filepath.Join(dir, "missing.json")); err != nil {
		t.Fatalf("a first start (no file) gave %v", err)
	}
}

func TestSavedProfilesAreBounded(t *testing.T) {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	store := NewStore(time.Minute)
	for i := 0; i < MaxPersistedItems+10; i++ {
		store.Observe(Observation{Namespace: "n", Pod: "p", At: start.Add(time.Duration(i) * time.Second), Executable: "/bin/x" + itoa(uint16(i))})
	}
	path := filepath.Join(t.TempDir(), "profiles.json")
	if err := store.Save(path); err != nil {
		t.Fatal(err)
	}
	loaded := NewStore(time.Minute)
	if err := loaded.Load(path); err != nil {
		t.Fatal(err)
	}
	snap, _ := loaded.Get("n", "p", start)
	if len(snap.Executables) != MaxPersistedItems {
		t.Fatalf("%d executables saved, want the newest %d", len(snap.Executables), MaxPersistedItems)
	}
	for _, e := range snap.Executables {
		if e.Path == "/bin/x0" {
			t.Fatal("the oldest entry was kept over newer ones")
		}
	}
}
