package profile

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"time"
)

// Profiles outlive a collector restart: the store is written to a file in the state directory (periodically when it
// changed, and at shutdown) and read back at start, learning state and timestamps included, so a baseline keeps
// its age and drift is not forgotten. The file is bounded — at most MaxPersistedPods pods (the most recently active)
// and MaxPersistedItems entries per list per pod (the most recently seen) — and a file that cannot be read back is
// reported and set aside, and the collector starts with fresh profiles.

const (
	persistVersion    = 1
	MaxPersistedPods  = 4096
	MaxPersistedItems = 2048
	// MaxPersistedBytes refuses to read a file no bounded store could have written.
	MaxPersistedBytes = 256 << 20
)

type persistedFile struct {
	Version int                     `json:"version"`
	SavedAt time.Time               `json:"savedAt"`
	Pods    map[string]persistedPod `json:"pods"`
}

type persistedPod struct {
	Since        time.Time     `json:"since"`
	Updated      time.Time     `json:"updated"`
	Drifted      bool          `json:"drifted"`
	ContainerIDs []string      `json:"containerIds"`
	Syscalls     []SyscallItem `json:"syscalls"`
	Executables  []Executable  `json:"executables"`
	Connections  []Connection  `json:"connections"`
	Files        []File        `json:"files"`
	LLM          []LLMEndpoint `json:"llm"`
	Tools        []Tool        `json:"tools"`
}

// newest keeps the limit most recently seen entries of a list (all when it is short enough).
func newest[T any](items []T, seen func(T) time.Time, limit int) []T {
	if len(items) <= limit {
		return items
	}
	sort.Slice(items, func(a, b int) bool { return seen(items[a]).After(seen(items[b])) })
	return items[:limit]
}

func values[T any](m map[string]*T) []T {
	out := make([]T, 0, len(m))
	for _, v := range m {
		out = append(out, *v)
	}
	return out
}

// Changed reports whether anything was observed since the last Save or Load.
func (s *Store) Changed() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.dirty
}

// Save writes every profile to path (through a temporary file renamed over it, so a crash leaves the old file).
func (s *Store) Save(path string) error {
	s.mu.Lock()
	file := persistedFile{Version: persistVersion, SavedAt: time.Now().UTC(), Pods: map[string]persistedPod{}}
	keys := make([]string, 0, len(s.pods))
	for key := range s.pods {
		keys = append(keys, key)
	}
	sort.Slice(keys, func(a, b int) bool { return s.pods[keys[a]].updated.After(s.pods[keys[b]].updated) })
	if len(keys) > MaxPersistedPods {
		keys = keys[:MaxPersistedPods]
	}
	for _, key := range keys {
		p := s.pods[key]
		pod := persistedPod{Since: p.since, Updated: p.updated, Drifted: p.drifted, ContainerIDs: []string{},
			Syscalls:    newest(values(p.syscalls), func(i SyscallItem) time.Time { return i.LastSeen }, MaxPersistedItems),
			Executables: newest(values(p.executables), func(i Executable) time.Time { return i.LastSeen }, MaxPersistedItems),
			Connections: newest(values(p.connections), func(i Connection) time.Time { return i.LastSeen }, MaxPersistedItems),
			Files:       newest(values(p.files), func(i File) time.Time { return i.LastSeen }, MaxPersistedItems),
			LLM:         newest(values(p.llm), func(i LLMEndpoint) time.Time { return i.LastSeen }, MaxPersistedItems),
			Tools:       newest(values(p.tools), func(i Tool) time.Time { return i.LastSeen }, MaxPersistedItems)}
		for id := range p.containerIDs {
			pod.ContainerIDs = append(pod.ContainerIDs, id)
		}
		sort.Strings(pod.ContainerIDs)
		file.Pods[key] = pod
	}
	s.dirty = false
	s.mu.Unlock()

	raw, err := json.Marshal(file)
	if err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := writeSynced(tmp, raw); err != nil {
		s.markDirty()
		return fmt.Errorf("saving profiles to %s: %w (kept in memory, retried later)", tmp, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		s.markDirty()
		return fmt.Errorf("saving profiles to %s: %w (kept in memory, retried later)", path, err)
	}
	return nil
}

func (s *Store) markDirty() {
	s.mu.Lock()
	s.dirty = true
	s.mu.Unlock()
}

func writeSynced(path string, raw []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.Write(raw); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// ErrCorrupt wraps every reason a profile file cannot be read back.
var ErrCorrupt = errors.New("profile file unreadable")

// Load replaces the store's profiles with those saved in path. A missing file is not an error (a first start). Any
// other failure leaves the store as it was and returns an error wrapping ErrCorrupt that says what was wrong.
func (s *Store) Load(path string) error {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	defer f.Close()
	raw, err := io.ReadAll(io.LimitReader(f, MaxPersistedBytes+1))
	if err != nil {
		return fmt.Errorf("%w: reading %s: %v", ErrCorrupt, path, err)
	}
	if len(raw) > MaxPersistedBytes {
		return fmt.Errorf("%w: %s is larger than %d bytes", ErrCorrupt, path, MaxPersistedBytes)
	}
	var file persistedFile
	if err := json.Unmarshal(raw, &file); err != nil {
		return fmt.Errorf("%w: %s is not valid profile JSON: %v", ErrCorrupt, path, err)
	}
	if file.Version != persistVersion {
		return fmt.Errorf("%w: %s has version %d, this collector reads version %d", ErrCorrupt, path, file.Version, persistVersion)
	}
	if len(file.Pods) > MaxPersistedPods {
		return fmt.Errorf("%w: %s holds %d pods, more than the %d a collector writes", ErrCorrupt, path, len(file.Pods), MaxPersistedPods)
	}
	pods := make(map[string]*podProfile, len(file.Pods))
	for key, saved := range file.Pods {
		p, err := restorePod(key, saved)
		if err != nil {
			return fmt.Errorf("%w: %s: %v", ErrCorrupt, path, err)
		}
		pods[key] = p
	}
	s.mu.Lock()
	s.pods = pods
	s.dirty = false
	s.mu.Unlock()
	return nil
}

func restorePod(key string, saved persistedPod) (*podProfile, error) {
	if saved.Since.IsZero() {
		return nil, fmt.Errorf("pod %q has no start time", key)
	}
	for _, n := range []int{len(saved.Syscalls), len(saved.Executables), len(saved.Connections), len(saved.Files), len(saved.LLM), len(saved.Tools)} {
		if n > MaxPersistedItems {
			return nil, fmt.Errorf("pod %q has a list of %d entries, more than the %d a collector writes", key, n, MaxPersistedItems)
		}
	}
	p := &podProfile{since: saved.Since, updated: saved.Updated, drifted: saved.Drifted, containerIDs: map[string]bool{},
		syscalls: map[string]*SyscallItem{}, executables: map[string]*Executable{}, connections: map[string]*Connection{},
		files: map[string]*File{}, llm: map[string]*LLMEndpoint{}, tools: map[string]*Tool{}}
	for _, id := range saved.ContainerIDs {
		p.containerIDs[id] = true
	}
	for _, item := range saved.Syscalls {
		p.syscalls[item.Name] = &item
	}
	for _, item := range saved.Executables {
		p.executables[item.Path] = &item
	}
	for _, item := range saved.Connections {
		p.connections[connectionKey(&item)] = &item
	}
	for _, item := range saved.Files {
		p.files[item.Path] = &item
	}
	for _, item := range saved.LLM {
		p.llm[llmKey(&item)] = &item
	}
	for _, item := range saved.Tools {
		p.tools[item.Name] = &item
	}
	return p, nil
}
