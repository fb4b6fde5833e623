package probes

import (
	"fmt"
	"os"

	"github.com/cilium/ebpf"
)

// EnforcementObjects is the enforcement program and its bpffs-pinned maps.
type EnforcementObjects = enforceObjects

// LoadEnforcement loads the egress program, reusing the maps pinned under pinDir by an earlier collector (so
// policies, allowlists and counters carry over) or pinning new ones there.
func LoadEnforcement(pinDir string, shared *Set) (*EnforcementObjects, error) {
	if err := os.MkdirAll(pinDir, 0o700); err != nil {
		return nil, fmt.Errorf("creating the bpffs pin directory %s: %w", pinDir, err)
	}
	spec, err := loadEnforce()
	if err != nil {
		return nil, err
	}
	opts := &ebpf.CollectionOptions{Maps: ebpf.MapOptions{PinPath: pinDir}}
	if shared != nil {
		spec.Maps["events"].MaxEntries = shared.Events.MaxEntries()
		opts.MapReplacements = map[string]*ebpf.Map{"events": shared.Events, "lost_events": shared.Lost}
	}
	objects := &enforceObjects{}
	if err := spec.LoadAndAssign(objects, opts); err != nil {
		return nil, fmt.Errorf("loading the enforcement program: %w", verifierDetail(err))
	}
	return objects, nil
}
