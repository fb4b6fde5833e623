package pipeline

import (
	"net/netip"
	"sync"
)

// dnsNames remembers, per cgroup, which name each address was resolved from, so a later connect to that address
// carries the name the process asked for. Bounded: a cgroup's table is cleared when it grows past the limit.
type dnsNames struct {
	mu    sync.Mutex
	names map[uint64]map[netip.Addr]string
}

const dnsNamesPerCgroup = 4096

func newDNSNames() *dnsNames { return &dnsNames{names: map[uint64]map[netip.Addr]string{}} }

func (d *dnsNames) remember(cgroupID uint64, name string, addrs []netip.Addr) {
	d.mu.Lock()
	defer d.mu.Unlock()
	table := d.names[cgroupID]
	if table == nil || len(table) > dnsNamesPerCgroup {
		table = map[netip.Addr]string{}
		d.names[cgroupID] = table
	}
	for _, addr := range addrs {
		table[addr.Unmap()] = name
	}
}

func (d *dnsNames) lookup(cgroupID uint64, addr netip.Addr) string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.names[cgroupID][addr.Unmap()]
}
