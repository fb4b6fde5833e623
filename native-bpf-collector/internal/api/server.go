// Package api serves the collector's versioned HTTPS API: the event stream with resume cursors, profile snapshots,
// health, Prometheus metrics and enforcement. Every request needs the bearer token; every error is a JSON object
// {"error": "..."} with a 4xx/5xx status, and nothing a client sends can stop the server.
package api

import (
	"crypto/subtle"
	"encoding/json"
	"net/http"
	"strings"
	"sync/atomic"

	"github.com/vigil-dev/vigil/native-bpf-collector/internal/enforce"
	"github.com/vigil-dev/vigil/native-bpf-collector/internal/pipeline"
	"github.com/vigil-dev/vigil/native-bpf-collector/internal/probes"
	"github.com/vigil-dev/vigil/native-bpf-collector/internal/profile"
	"github.com/vigil-dev/vigil/native-bpf-collector/internal/stream"
)

// Version is the API and schema version every response carries (header X-Vigil-Api).
const Version = "v1"

// MaxRequestBody bounds what a client may send (enforcement policies are the only bodies).
const MaxRequestBody = 64 << 10

type Server struct {
	Node         string
	Token        []byte
	Buffer       *stream.Buffer
	Pipeline     *pipeline.Pipeline
	Profiles     *profile.Store
	Probes       *probes.Set
	Enforcement  *enforce.Manager // nil when enforcement could not be set up
	PodsSynced   func() bool
	Unattributed func() uint64
	// TLSCounters, when TLS capture runs, reports its loss and attach counters by metric label set.
	TLSCounters func() []Counter
	// SubscriberGaps counts events a slow client missed because they fell out of the buffer.
	SubscriberGaps atomic.Uint64
}

// Counter is one extra metric sample: a full metric name with labels, and its value.
type Counter struct {
	Name  string
	Value uint64
}

func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", s.handleHealth)
	mux.HandleFunc("/metrics", s.handleMetrics)
	mux.HandleFunc("/v1/events", s.handleEvents)
	mux.HandleFunc("/v1/profiles", s.handleProfiles)
	mux.HandleFunc("/v1/profiles/", s.handleProfiles)
	mux.HandleFunc("/v1/enforcement", s.handleEnforcement)
	mux.HandleFunc("/v1/enforcement/", s.handleEnforcement)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Vigil-Api", Version)
		if !s.authorized(r) {
			w.Header().Set("WWW-Authenticate", `Bearer realm="vigil-collector"`)
			writeError(w, http.StatusUnauthorized, "missing or wrong bearer token: send the token from the collector's token file as 'Authorization: Bearer <token>'")
			return
		}
		if _, pattern := mux.Handler(r); pattern == "" {
			writeError(w, http.StatusNotFound, "no such endpoint: "+r.URL.Path+" (API "+Version+": /v1/events, /v1/profiles/<namespace>/<pod>, /v1/enforcement/<containerId>, /healthz, /metrics)")
			return
		}
		mux.ServeHTTP(w, r)
	})
}

func (s *Server) authorized(r *http.Request) bool {
	header := r.Header.Get("Authorization")
	token, found := strings.CutPrefix(header, "Bearer ")
	if !found || len(s.Token) == 0 {
		return false
	}
	return subtle.ConstantTimeCompare([]byte(token), s.Token) == 1
}

func writeError(w http.ResponseWriter, status int, message string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]string{"error": message})
}

func writeJSON(w http.ResponseWriter, value any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(value)
}

func allowMethods(w http.ResponseWriter, r *http.Request, methods ...string) bool {
	for _, m := range methods {
		if r.Method == m {
			return true
		}
	}
	w.Header().Set("Allow", strings.Join(methods, ", "))
	writeError(w, http.StatusMethodNotAllowed, r.Method+" is not supported on "+r.URL.Path+"; use "+strings.Join(methods, " or "))
	return false
}

func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	if !allowMethods(w, r, http.MethodGet) {
		return
	}
	oldest, newest := s.Buffer.Bounds()
	writeJSON(w, map[string]any{
		"status": "ok", "node": s.Node, "api": Version, "podsSynced": s.PodsSynced(),
		"buffer":      map[string]uint64{"oldestCursor": oldest, "newestCursor": newest},
		"enforcement": s.Enforcement != nil, "tls": s.Probes != nil && s.Probes.TLS != nil,
	})
}

func (s *Server) handleProfiles(w http.ResponseWriter, r *http.Request) {
	if !allowMethods(w, r, http.MethodGet) {
		return
	}
	rest := strings.Trim(strings.TrimPrefix(r.URL.Path, "/v1/profiles"), "/")
	if rest == "" {
		writeJSON(w, map[string]any{"pods": s.Profiles.Pods()})
		return
	}
	namespace, name, ok := strings.Cut(rest, "/")
	if !ok || namespace == "" || name == "" || strings.Contains(name, "/") {
		writeError(w, http.StatusBadRequest, "profile path must be /v1/profiles/<namespace>/<pod>")
		return
	}
	snapshot, found := s.Profiles.Get(namespace, name, nowFunc())
	if !found {
		writeError(w, http.StatusNotFound, "no profile for pod "+namespace+"/"+name+": the collector has seen no event attributed to it")
		return
	}
	writeJSON(w, snapshot)
}
