package api

import (
	"errors"
	"io"
	"net/http"
	"regexp"
	"strings"

	"github.com/vigil-dev/vigil/native-bpf-collector/internal/enforce"
)

var containerIDPattern = regexp.MustCompile(`^[0-9a-f]{64}$`)

// handleEnforcement serves GET /v1/enforcement, GET|PUT|DELETE /v1/enforcement/<containerId>.
func (s *Server) handleEnforcement(w http.ResponseWriter, r *http.Request) {
	if s.Enforcement == nil {
		writeError(w, http.StatusServiceUnavailable, "enforcement is not available on this collector (see its log for why the egress program did not load)")
		return
	}
	containerID := strings.Trim(strings.TrimPrefix(r.URL.Path, "/v1/enforcement"), "/")
	if containerID == "" {
		if !allowMethods(w, r, http.MethodGet) {
			return
		}
		writeJSON(w, map[string]any{"enforcements": s.Enforcement.List()})
		return
	}
	containerID = strings.TrimPrefix(containerID, "containerd://")
	if !containerIDPattern.MatchString(containerID) {
		writeError(w, http.StatusBadRequest, "container id must be 64 lowercase hex digits (optionally prefixed containerd://)")
		return
	}
	switch r.Method {
	case http.MethodGet:
		applied, ok := s.Enforcement.Get(containerID)
		if !ok {
			writeError(w, http.StatusNotFound, "container "+containerID+" is not under enforcement")
			return
		}
		writeJSON(w, s.describe(applied))
	case http.MethodPut:
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxRequestBody))
		if err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				writeError(w, http.StatusRequestEntityTooLarge, "request body exceeds 64 KiB: nothing was changed")
				return
			}
			writeError(w, http.StatusBadRequest, "reading the request body failed: nothing was changed")
			return
		}
		req, err := enforce.ParseRequest(body)
		if err != nil {
			writeError(w, http.StatusBadRequest, err.Error()+": nothing was changed")
			return
		}
		applied, err := s.Enforcement.Apply(containerID, req)
		if err != nil {
			status := http.StatusInternalServerError
			if strings.Contains(err.Error(), "no cgroup on this node") {
				status = http.StatusNotFound
			}
			writeError(w, status, err.Error())
			return
		}
		writeJSON(w, s.describe(applied))
	case http.MethodDelete:
		if err := s.Enforcement.Release(containerID); err != nil {
			status := http.StatusInternalServerError
			if strings.Contains(err.Error(), "not under enforcement") {
				status = http.StatusNotFound
			}
			writeError(w, status, err.Error())
			return
		}
		writeJSON(w, map[string]any{"containerId": containerID, "released": true})
	default:
		allowMethods(w, r, http.MethodGet, http.MethodPut, http.MethodDelete)
	}
}

type destinationCount struct {
	Action   string `json:"action"`
	Protocol string `json:"protocol"`
	DstIP    string `json:"dstIp"`
	DstPort  uint16 `json:"dstPort"`
	Count    uint64 `json:"count"`
}

func (s *Server) describe(applied enforce.Applied) map[string]any {
	ids := map[uint64]bool{}
	for _, id := range applied.CgroupIDs {
		ids[id] = true
	}
	counts := []destinationCount{}
	for _, v := range s.Enforcement.Verdicts() {
		if ids[v.CgroupID] {
			counts = append(counts, destinationCount{Action: v.Action, Protocol: v.Protocol, DstIP: v.DstIP, DstPort: v.DstPort, Count: v.Count})
		}
	}
	return map[string]any{"containerId": applied.ContainerID, "cgroupPath": applied.CgroupPath, "mode": applied.Request.Mode,
		"policy": applied.Request.Policy, "allow": applied.Request.Allow, "dnsServer": applied.Request.DNSServer, "verdicts": counts}
}
