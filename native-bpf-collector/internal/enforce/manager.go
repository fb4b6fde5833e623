package enforce

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"syscall"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/link"

	"github.com/vigil-dev/vigil/native-bpf-collector/internal/probes"
)

const (
	modeOff     = 0
	modeAudit   = 1
	modeEnforce = 2
	kindAllow   = 1
	kindDNSOnly = 2
)

// Applied is one container's enforcement as stored and reported.
type Applied struct {
	ContainerID string   `json:"containerId"`
	CgroupPath  string   `json:"cgroupPath"`
	CgroupIDs   []uint64 `json:"cgroupIds"`
	Request     Request  `json:"request"`
}

// Verdict is a per-destination count of packets dropped or that would have been.
type Verdict struct {
	CgroupID uint64
	Action   string // "dropped" | "would-drop"
	Protocol string
	DstIP    string
	DstPort  uint16
	Count    uint64
}

type Manager struct {
	cgroupRoot string
	pinDir     string
	statePath  string
	objects    *probes.EnforcementObjects
	mu         sync.Mutex
	applied    map[string]Applied
	findCgroup func(containerID string) (string, bool)
}

// Open loads the program (reusing pinned maps) and the record of what is applied.
func Open(cgroupRoot, pinDir, stateDir string, shared *probes.Set, findCgroup func(string) (string, bool)) (*Manager, error) {
	objects, err := probes.LoadEnforcement(pinDir, shared)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Join(pinDir, "links"), 0o700); err != nil {
		return nil, err
	}
	m := &Manager{cgroupRoot: cgroupRoot, pinDir: pinDir, statePath: filepath.Join(stateDir, "enforcement.json"),
		objects: objects, applied: map[string]Applied{}, findCgroup: findCgroup}
	if raw, err := os.ReadFile(m.statePath); err == nil {
		if err := json.Unmarshal(raw, &m.applied); err != nil {
			return nil, fmt.Errorf("%s is corrupt (%v): enforcement already pinned stays in force; move the file away to start over", m.statePath, err)
		}
	}
	return m, nil
}

func (m *Manager) Close() error { return m.objects.Close() }

func (m *Manager) linkPath(containerID string) string {
	return filepath.Join(m.pinDir, "links", containerID)
}

// cgroupIDs returns the inode numbers of the cgroup and its descendants.
func cgroupIDs(dir string) ([]uint64, error) {
	var ids []uint64
	err := filepath.WalkDir(dir, func(path string, entry os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !entry.IsDir() {
			return nil
		}
		info, err := entry.Info()
		if err != nil {
			return err
		}
		ids = append(ids, info.Sys().(*syscall.Stat_t).Ino)
		return nil
	})
	return ids, err
}

// Apply puts a container under a policy (replacing any earlier one).
func (m *Manager) Apply(containerID string, req Request) (Applied, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	relative, ok := m.findCgroup(containerID)
	if !ok {
		return Applied{}, fmt.Errorf("no cgroup on this node holds container %s: nothing was changed", containerID)
	}
	dir := filepath.Join(m.cgroupRoot, relative)
	ids, err := cgroupIDs(dir)
	if err != nil {
		return Applied{}, fmt.Errorf("reading cgroup %s: %w (nothing was changed)", dir, err)
	}
	if previous, ok := m.applied[containerID]; ok {
		m.clearMaps(previous.CgroupIDs)
	}
	for _, id := range ids {
		if err := m.writePolicy(id, req); err != nil {
			m.clearMaps(ids)
			return Applied{}, err
		}
	}
	if _, err := os.Stat(m.linkPath(containerID)); errors.Is(err, os.ErrNotExist) {
		l, err := link.AttachCgroup(link.CgroupOptions{Path: dir, Attach: ebpf.AttachCGroupInetEgress, Program: m.objects.EnforceEgress})
		if err != nil {
			m.clearMaps(ids)
			return Applied{}, fmt.Errorf("attaching the egress program to %s: %w (nothing was changed)", dir, err)
		}
		if err := l.Pin(m.linkPath(containerID)); err != nil {
			l.Close()
			m.clearMaps(ids)
			return Applied{}, fmt.Errorf("pinning the egress link: %w (nothing was changed)", err)
		}
		l.Close() // the pin keeps it attached
	}
	applied := Applied{ContainerID: containerID, CgroupPath: relative, CgroupIDs: ids, Request: req}
	m.applied[containerID] = applied
	return applied, m.save()
}

func (m *Manager) writePolicy(cgroupID uint64, req Request) error {
	policy := probes.EnforcePolicy{Mode: modeOff, Kind: kindDNSOnly}
	switch req.Mode {
	case "audit":
		policy.Mode = modeAudit
	case "enforce":
		policy.Mode = modeEnforce
	}
	if req.Policy == "allowlist" {
		policy.Kind = kindAllow
	}
	if req.DNSServer != "" {
		policy.DnsIp = netip.MustParseAddr(req.DNSServer).As16() // IPv4 comes out as ::ffff:a.b.c.d
	}
	for _, d := range req.Allow {
		addr, bits := prefixOf(d.CIDR)
		var ports [8]uint16
		copy(ports[:], d.Ports)
		if err := m.objects.EnforceAllow.Put(allowKey(cgroupID, addr, bits), ports); err != nil {
			return fmt.Errorf("writing allow entry %s: %w (nothing was changed)", d.CIDR, err)
		}
	}
	if err := m.objects.EnforcePolicies.Put(cgroupID, policy); err != nil {
		return fmt.Errorf("writing the policy: %w (nothing was changed)", err)
	}
	return nil
}

// allowKey builds the packed LPM key {u32 prefixlen; u64 cgroup; u8 ip[16]}.
func allowKey(cgroupID uint64, addr [16]byte, bits int) []byte {
	key := make([]byte, 28)
	binary.LittleEndian.PutUint32(key[0:4], uint32(64+bits))
	binary.LittleEndian.PutUint64(key[4:12], cgroupID)
	copy(key[12:], addr[:])
	return key
}

func (m *Manager) clearMaps(ids []uint64) {
	wanted := map[uint64]bool{}
	for _, id := range ids {
		wanted[id] = true
		m.objects.EnforcePolicies.Delete(id)
	}
	var key, next []byte = nil, make([]byte, 28)
	var stale [][]byte
	for {
		if err := m.objects.EnforceAllow.NextKey(key, &next); err != nil {
			break
		}
		if wanted[binary.LittleEndian.Uint64(next[4:12])] {
			stale = append(stale, append([]byte(nil), next...))
		}
		key = append(key[:0], next...)
	}
	for _, k := range stale {
		m.objects.EnforceAllow.Delete(k)
	}
}

// Release detaches the program from the container and forgets its policy and counters.
func (m *Manager) Release(containerID string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	applied, known := m.applied[containerID]
	pinned, err := link.LoadPinnedLink(m.linkPath(containerID), nil)
	if err != nil && !known {
		return fmt.Errorf("container %s is not under enforcement: nothing was changed", containerID)
	}
	if err == nil {
		if err := pinned.Unpin(); err != nil {
			pinned.Close()
			return fmt.Errorf("unpinning the egress link: %w (enforcement is still in force)", err)
		}
		pinned.Close()
	}
	m.clearMaps(applied.CgroupIDs)
	m.clearVerdicts(applied.CgroupIDs)
	delete(m.applied, containerID)
	return m.save()
}

func (m *Manager) clearVerdicts(ids []uint64) {
	wanted := map[uint64]bool{}
	for _, id := range ids {
		wanted[id] = true
	}
	var key probes.VerdictKey
	var count uint64
	var stale []probes.VerdictKey
	iter := m.objects.EnforceVerdicts.Iterate()
	for iter.Next(&key, &count) {
		if wanted[key.CgroupId] {
			stale = append(stale, key)
		}
	}
	for _, k := range stale {
		m.objects.EnforceVerdicts.Delete(k)
	}
}

// List returns what is applied, sorted by container id.
func (m *Manager) List() []Applied {
	m.mu.Lock()
	defer m.mu.Unlock()
	list := make([]Applied, 0, len(m.applied))
	for _, a := range m.applied {
		list = append(list, a)
	}
	sort.Slice(list, func(a, b int) bool { return list[a].ContainerID < list[b].ContainerID })
	return list
}

// Get returns one container's enforcement.
func (m *Manager) Get(containerID string) (Applied, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	a, ok := m.applied[containerID]
	return a, ok
}

// Verdicts reads every per-destination counter.
func (m *Manager) Verdicts() []Verdict {
	var key probes.VerdictKey
	var count uint64
	var out []Verdict
	iter := m.objects.EnforceVerdicts.Iterate()
	for iter.Next(&key, &count) {
		action := "would-drop"
		if key.Action == 2 {
			action = "dropped"
		}
		protocol := "other"
		switch key.Protocol {
		case 6:
			protocol = "tcp"
		case 17:
			protocol = "udp"
		}
		out = append(out, Verdict{CgroupID: key.CgroupId, Action: action, Protocol: protocol,
			DstIP: netip.AddrFrom16(key.Ip).Unmap().String(), DstPort: key.Port, Count: count})
	}
	return out
}

func (m *Manager) save() error {
	raw, err := json.MarshalIndent(m.applied, "", "  ")
	if err != nil {
		return err
	}
	tmp := m.statePath + ".tmp"
	if err := os.WriteFile(tmp, raw, 0o600); err != nil {
		return fmt.Errorf("recording enforcement state: %w (the kernel state is applied)", err)
	}
	return os.Rename(tmp, m.statePath)
}
