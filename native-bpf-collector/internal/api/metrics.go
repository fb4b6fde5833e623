package api

import (
	"fmt"
	"net/http"
	"os"
	"sort"
	"strconv"
	"strings"
	"syscall"

	"github.com/vigil-dev/vigil/native-bpf-collector/internal/probes"
)

// handleMetrics renders Prometheus text exposition format 0.0.4.
func (s *Server) handleMetrics(w http.ResponseWriter, r *http.Request) {
	if !allowMethods(w, r, http.MethodGet) {
		return
	}
	var out strings.Builder
	events, parseFailures := s.Pipeline.Counters.Snapshot()
	family(&out, "vigil_collector_events_total", "counter", "Events emitted, by kind.")
	for _, kind := range sortedKeys(events) {
		fmt.Fprintf(&out, "vigil_collector_events_total{kind=%q} %d\n", kind, events[kind])
	}
	family(&out, "vigil_collector_lost_events_total", "counter", "Events lost, by reason and kind: ring buffer full, parse failure, TLS data beyond the per-call copy bound, untracked connections, subscriber fell behind the buffer.")
	if s.Probes != nil {
		if lost, err := s.Probes.LostCounts(); err == nil {
			for _, slot := range sortedKeys32(lost) {
				name, known := probes.KindNames[slot]
				if !known {
					continue
				}
				reason := "ringbuf_full"
				switch slot {
				case probes.KindTLSTruncated:
					reason, name = "tls_truncated", "tls.data"
				case probes.KindConnUntracked:
					reason, name = "conn_table_full", "net.close"
				case probes.KindOpenUnresolvedBudget:
					reason, name = "open_resolve_budget", "file.open"
				}
				fmt.Fprintf(&out, "vigil_collector_lost_events_total{reason=%q,kind=%q} %d\n", reason, name, lost[slot])
			}
		}
	}
	for _, kind := range sortedKeys(parseFailures) {
		fmt.Fprintf(&out, "vigil_collector_lost_events_total{reason=\"parse_failure\",kind=%q} %d\n", kind, parseFailures[kind])
	}
	fmt.Fprintf(&out, "vigil_collector_lost_events_total{reason=\"subscriber_gap\",kind=\"all\"} %d\n", s.SubscriberGaps.Load())
	if s.TLSCounters != nil {
		for _, c := range s.TLSCounters() {
			fmt.Fprintf(&out, "%s %d\n", c.Name, c.Value)
		}
	}
	fmt.Fprintf(&out, "vigil_collector_lost_events_total{reason=\"buffer_error\",kind=\"all\"} %d\n", s.Pipeline.Counters.BufferErrors.Load())
	fmt.Fprintf(&out, "vigil_collector_lost_events_total{reason=\"open_unresolvable\",kind=\"file.open\"} %d\n", s.Pipeline.Counters.UnresolvableOpens.Load())
	fmt.Fprintf(&out, "vigil_collector_lost_events_total{reason=\"process_unknown\",kind=\"mcp.http\"} %d\n", s.Pipeline.Counters.MCPUnattributed.Load())
	family(&out, "vigil_collector_unattributed_events_total", "counter", "Events from a container (or unknown cgroup) that could not be attributed to a pod; emitted with pod null.")
	fmt.Fprintf(&out, "vigil_collector_unattributed_events_total %d\n", s.Unattributed())
	family(&out, "vigil_collector_host_events_total", "counter", "Events from the node itself (cgroups outside any pod).")
	fmt.Fprintf(&out, "vigil_collector_host_events_total %d\n", s.Pipeline.Counters.HostEvents.Load())
	family(&out, "vigil_collector_ringbuf_records_total", "counter", "Ring buffer records read.")
	fmt.Fprintf(&out, "vigil_collector_ringbuf_records_total %d\n", s.Pipeline.Counters.Records.Load())
	oldest, newest := s.Buffer.Bounds()
	family(&out, "vigil_collector_buffer_events", "gauge", "Events held in the on-node buffer.")
	held := uint64(0)
	if oldest != 0 {
		held = newest - oldest + 1
	}
	fmt.Fprintf(&out, "vigil_collector_buffer_events %d\n", held)
	family(&out, "vigil_collector_pods_synced", "gauge", "1 once the pod list from the Kubernetes API arrived.")
	synced := 0
	if s.PodsSynced() {
		synced = 1
	}
	fmt.Fprintf(&out, "vigil_collector_pods_synced %d\n", synced)
	var usage syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &usage) == nil {
		cpu := float64(usage.Utime.Sec+usage.Stime.Sec) + float64(usage.Utime.Usec+usage.Stime.Usec)/1e6
		family(&out, "vigil_collector_cpu_seconds_total", "counter", "User and system CPU time of the collector.")
		fmt.Fprintf(&out, "vigil_collector_cpu_seconds_total %.6f\n", cpu)
	}
	if rss, ok := residentBytes(); ok {
		family(&out, "vigil_collector_resident_memory_bytes", "gauge", "Resident set size of the collector.")
		fmt.Fprintf(&out, "vigil_collector_resident_memory_bytes %d\n", rss)
	}
	w.Header().Set("Content-Type", "text/plain; version=0.0.4")
	w.Write([]byte(out.String()))
}

func family(out *strings.Builder, name, kind, help string) {
	fmt.Fprintf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, kind)
}

func residentBytes() (uint64, bool) {
	statm, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0, false
	}
	fields := strings.Fields(string(statm))
	if len(fields) < 2 {
		return 0, false
	}
	pages, err := strconv.ParseUint(fields[1], 10, 64)
	return pages * uint64(os.Getpagesize()), err == nil
}

func sortedKeys(m map[string]uint64) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func sortedKeys32(m map[uint32]uint64) []uint32 {
	keys := make([]uint32, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(a, b int) bool { return keys[a] < keys[b] })
	return keys
}
