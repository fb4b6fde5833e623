// Package profile aggregates each pod's application profile — executables, syscalls, connections, files, LLM
// endpoints and models, tool names — with first/last-seen times and a learning state, so a baseline can be built and
// drift seen: after the learning period the profile is "stable", and anything new after that turns it "drifted".
package profile

import (
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"
)

// Item is one profile entry.
type Item struct {
	Key       string    `json:"-"`
	FirstSeen time.Time `json:"firstSeen"`
	LastSeen  time.Time `json:"lastSeen"`
	Count     uint64    `json:"count"`
	// New marks an entry first seen after the profile left learning: drift.
	New bool `json:"new"`
}

type Executable struct {
	Path string `json:"path"`
	Item
}

type Connection struct {
	Direction string `json:"direction"` // "egress" (connect) or "ingress" (accept)
	Protocol  string `json:"protocol"`
	Peer      string `json:"peer"`
	Port      uint16 `json:"port"`
	DNSName   string `json:"dnsName,omitempty"`
	Item
}

type File struct {
	Path     string `json:"path"` // collapsed: varying components (pids, hashes, timestamps) become "*"
	Category string `json:"category"`
	Item
}

type LLMEndpoint struct {
	Provider string `json:"provider"`
	Host     string `json:"host"`
	Path     string `json:"path"`
	Model    string `json:"model"`
	Item
}

type Tool struct {
	Name string `json:"name"`
	Item
}

// Snapshot is the JSON a client gets for GET /v1/profiles/<ns>/<pod>.
type Snapshot struct {
	Namespace    string        `json:"namespace"`
	Pod          string        `json:"pod"`
	ContainerIDs []string      `json:"containerIds"`
	State        string        `json:"state"` // learning | stable | drifted
	Since        time.Time     `json:"since"`
	LearningEnds time.Time     `json:"learningEnds"`
	UpdatedAt    time.Time     `json:"updatedAt"`
	Syscalls     []string      `json:"syscalls"`
	SyscallItems []SyscallItem `json:"syscallDetails"`
	Executables  []Executable  `json:"executables"`
	Connections  []Connection  `json:"connections"`
	Files        []File        `json:"files"`
	LLM          []LLMEndpoint `json:"llm"`
	Tools        []Tool        `json:"tools"`
}

type SyscallItem struct {
	Name string `json:"name"`
	Item
}

type podProfile struct {
	since        time.Time
	updated      time.Time
	drifted      bool
	containerIDs map[string]bool
	syscalls     map[string]*SyscallItem
	executables  map[string]*Executable
	connections  map[string]*Connection
	files        map[string]*File
	llm          map[string]*LLMEndpoint
	tools        map[string]*Tool
}

// Store holds every pod's profile.
type Store struct {
	learning time.Duration
	mu       sync.Mutex
	pods     map[string]*podProfile
	dirty    bool // observed since the last Save or Load
}

func NewStore(learning time.Duration) *Store {
	return &Store{learning: learning, pods: map[string]*podProfile{}}
}

func (s *Store) pod(namespace, name, containerID string, at time.Time) *podProfile {
	key := namespace + "/" + name
	p, ok := s.pods[key]
	if !ok {
		p = &podProfile{since: at, containerIDs: map[string]bool{}, syscalls: map[string]*SyscallItem{},
			executables: map[string]*Executable{}, connections: map[string]*Connection{}, files: map[string]*File{},
			llm: map[string]*LLMEndpoint{}, tools: map[string]*Tool{}}
		s.pods[key] = p
	}
	if containerID != "" {
		p.containerIDs[containerID] = true
	}
	p.updated = at
	return p
}

// touch updates an item's times and reports whether it was new after learning ended.
func (s *Store) touch(p *podProfile, item *Item, at time.Time) {
	if item.Count == 0 {
		item.FirstSeen = at
		if at.Sub(p.since) > s.learning {
			item.New = true
			p.drifted = true
		}
	}
	item.LastSeen = at
	item.Count++
}

// Observation is one thing a pod did, as the pipeline reports it.
type Observation struct {
	Namespace, Pod, ContainerID string
	At                          time.Time
	Syscall                     string
	Executable                  string
	Connection                  *Connection
	File                        *File
	LLM                         *LLMEndpoint
	Tools                       []string
}

func (s *Store) Observe(o Observation) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.pod(o.Namespace, o.Pod, o.ContainerID, o.At)
	s.dirty = true
	if o.Syscall != "" {
		item := p.syscalls[o.Syscall]
		if item == nil {
			item = &SyscallItem{Name: o.Syscall}
			p.syscalls[o.Syscall] = item
		}
		s.touch(p, &item.Item, o.At)
	}
	if o.Executable != "" {
		item := p.executables[o.Executable]
		if item == nil {
			item = &Executable{Path: o.Executable}
			p.executables[o.Executable] = item
		}
		s.touch(p, &item.Item, o.At)
	}
	if c := o.Connection; c != nil {
		key := connectionKey(c)
		item := p.connections[key]
		if item == nil {
			copy := *c
			copy.Item = Item{}
			item = &copy
			p.connections[key] = item
		}
		if c.DNSName != "" {
			item.DNSName = c.DNSName
		}
		s.touch(p, &item.Item, o.At)
	}
	if f := o.File; f != nil {
		path := CollapsePath(f.Path)
		item := p.files[path]
		if item == nil {
			item = &File{Path: path, Category: f.Category}
			p.files[path] = item
		}
		s.touch(p, &item.Item, o.At)
	}
	if l := o.LLM; l != nil {
		key := llmKey(l)
		item := p.llm[key]
		if item == nil {
			item = &LLMEndpoint{Provider: l.Provider, Host: l.Host, Path: l.Path, Model: l.Model}
			p.llm[key] = item
		}
		s.touch(p, &item.Item, o.At)
	}
	for _, name := range o.Tools {
		item := p.tools[name]
		if item == nil {
			item = &Tool{Name: name}
			p.tools[name] = item
		}
		s.touch(p, &item.Item, o.At)
	}
}

func connectionKey(c *Connection) string {
	return c.Direction + " " + c.Protocol + " " + c.Peer + " " + itoa(c.Port)
}

func llmKey(l *LLMEndpoint) string { return l.Provider + " " + l.Host + " " + l.Path + " " + l.Model }

// Get returns a pod's profile snapshot, sorted for stable output.
func (s *Store) Get(namespace, name string, now time.Time) (Snapshot, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.pods[namespace+"/"+name]
	if !ok {
		return Snapshot{}, false
	}
	snap := Snapshot{Namespace: namespace, Pod: name, Since: p.since, LearningEnds: p.since.Add(s.learning), UpdatedAt: p.updated,
		ContainerIDs: []string{}, Syscalls: []string{}, SyscallItems: []SyscallItem{}, Executables: []Executable{},
		Connections: []Connection{}, Files: []File{}, LLM: []LLMEndpoint{}, Tools: []Tool{}}
	switch {
	case p.drifted:
		snap.State = "drifted"
	case now.Sub(p.since) > s.learning:
		snap.State = "stable"
	default:
		snap.State = "learning"
	}
	for id := range p.containerIDs {
		snap.ContainerIDs = append(snap.ContainerIDs, id)
	}
	sort.Strings(snap.ContainerIDs)
	for name, item := range p.syscalls {
		snap.Syscalls = append(snap.Syscalls, name)
		snap.SyscallItems = append(snap.SyscallItems, *item)
	}
	sort.Strings(snap.Syscalls)
	sort.Slice(snap.SyscallItems, func(a, b int) bool { return snap.SyscallItems[a].Name < snap.SyscallItems[b].Name })
	for _, item := range p.executables {
		snap.Executables = append(snap.Executables, *item)
	}
	sort.Slice(snap.Executables, func(a, b int) bool { return snap.Executables[a].Path < snap.Executables[b].Path })
	for key, item := range p.connections {
		c := *item
		c.Key = key
		snap.Connections = append(snap.Connections, c)
	}
	sort.Slice(snap.Connections, func(a, b int) bool { return snap.Connections[a].Key < snap.Connections[b].Key })
	for _, item := range p.files {
		snap.Files = append(snap.Files, *item)
	}
	sort.Slice(snap.Files, func(a, b int) bool { return snap.Files[a].Path < snap.Files[b].Path })
	for key, item := range p.llm {
		l := *item
		l.Key = key
		snap.LLM = append(snap.LLM, l)
	}
	sort.Slice(snap.LLM, func(a, b int) bool { return snap.LLM[a].Key < snap.LLM[b].Key })
	for _, item := range p.tools {
		snap.Tools = append(snap.Tools, *item)
	}
	sort.Slice(snap.Tools, func(a, b int) bool { return snap.Tools[a].Name < snap.Tools[b].Name })
	return snap, true
}

// Pods lists the pods with a profile, as "namespace/name".
func (s *Store) Pods() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	keys := make([]string, 0, len(s.pods))
	for key := range s.pods {
		keys = append(keys, key)
	}
	sort.Strings(keys)
	return keys
}

var (
	numeric   = regexp.MustCompile(`^[0-9]+$`)
	hexish    = regexp.MustCompile(`^[0-9a-f]{12,}$`)
	uuidLike  = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
	timestamp = regexp.MustCompile(`^\.\.[0-9]{4}_[0-9]{2}_[0-9]{2}_`) // kubelet's atomic-writer dirs
)

// CollapsePath replaces path components that vary between runs (pids, hashes, uuids, kubelet timestamp dirs)
// with "*" so a profile holds one entry per kind of file.
func CollapsePath(path string) string {
	parts := strings.Split(path, "/")
	for i, part := range parts {
		if numeric.MatchString(part) || hexish.MatchString(part) || uuidLike.MatchString(part) || timestamp.MatchString(part) {
			parts[i] = "*"
		}
	}
	return strings.Join(parts, "/")
}

func itoa(n uint16) string {
	if n == 0 {
		return "0"
	}
	var digits [5]byte
	i := len(digits)
	for n > 0 {
		i--
		digits[i] = byte('0' + n%10)
		n /= 10
	}
	return string(digits[i:])
}
