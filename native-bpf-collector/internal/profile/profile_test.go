package profile

import (
	"testing"
	"time"
)

func TestProfileLearnsThenReportsDrift(t *testing.T) {
	store := NewStore(time.Minute)
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	store.Observe(Observation{Namespace: "agents", Pod: "a", At: start, Syscall: "read", Executable: "/usr/bin/python3"})
	store.Observe(Observation{Namespace: "agents", Pod: "a", At: start.Add(time.Second), Syscall: "read"})
	snap, ok := store.Get("agents", "a", start.Add(2*time.Second))
	if !ok || snap.State != "learning" || len(snap.Syscalls) != 1 || snap.SyscallItems[0].Count != 2 {
		t.Fatalf("during learning: %+v", snap)
	}
	if snap, _ := store.Get("agents", "a", start.Add(2*time.Minute)); snap.State != "stable" {
		t.Fatalf("after learning with nothing new the state is %q", snap.State)
	}
	store.Observe(Observation{Namespace: "agents", Pod: "a", At: start.Add(3 * time.Minute), Executable: "/bin/sh"})
	snap, _ = store.Get("agents", "a", start.Add(3*time.Minute))
	if snap.State != "drifted" || !snap.Executables[0].New || snap.Executables[1].New {
		t.Fatalf("a new executable after learning: %+v", snap.Executables)
	}
}

func TestCollapsePathFoldsVaryingComponents(t *testing.T) {
	got := CollapsePath("/var/run/secrets/kubernetes.io/serviceaccount/..2026_01_01_00_00_00.123/token")
	if got != "/var/run/secrets/kubernetes.io/serviceaccount/*/token" {
		t.Fatal(got)
	}
	if got := CollapsePath("/proc/4242/environ"); got != "/proc/*/environ" {
		t.Fatal(got)
	}
}
