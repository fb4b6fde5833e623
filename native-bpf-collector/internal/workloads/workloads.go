// Package workloads keeps, per live process, what classification needs (command line, mapped libraries, LLM calls,
// model files, the parent's role) and emits workload.classified when a process's role is first found or changes.
// A child inherits nothing but its parent's role, which is how tool processes spawned by an agent are recognised.
package workloads

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"github.com/vigil-dev/vigil/native-bpf-collector/internal/classify"
	"github.com/vigil-dev/vigil/native-bpf-collector/internal/model"
	"github.com/vigil-dev/vigil/native-bpf-collector/internal/pipeline"
)

type process struct {
	observation classify.Observation
	endpoints   map[string]*classify.LLMEndpoint
	role        string
}

// Tracker is safe for concurrent use.
type Tracker struct {
	procRoot string
	mu       sync.Mutex
	procs    map[uint32]*process
	packages *installedPackages
	// Emit is called with the details of a workload.classified event, in the context of the event that decided it.
	Emit func(ctx pipeline.EventContext, details model.ClassifiedDetails)
}

func New(procRoot string) *Tracker {
	return &Tracker{procRoot: procRoot, procs: map[uint32]*process{}, packages: newInstalledPackages(procRoot)}
}

const maxTracked = 65536

// Exec records a new process image and classifies it by command line and parent.
func (t *Tracker) Exec(ctx pipeline.EventContext, pid, ppid uint32, exe string, args []string) {
	t.mu.Lock()
	parentRole := ""
	if parent, ok := t.procs[ppid]; ok {
		parentRole = parent.role
	}
	if len(t.procs) >= maxTracked {
		t.procs = map[uint32]*process{}
	}
	p := &process{observation: classify.Observation{Exe: exe, Args: args, ParentRole: parentRole}, endpoints: map[string]*classify.LLMEndpoint{}}
	t.procs[pid] = p
	t.mu.Unlock()
	python, node := t.packages.For(pid, exe, args)
	t.mu.Lock()
	p.observation.PythonPackages, p.observation.NodePackages = python, node
	t.mu.Unlock()
	t.reclassify(ctx, p)
}

// Exit forgets a process.
func (t *Tracker) Exit(pid uint32) {
	t.mu.Lock()
	delete(t.procs, pid)
	t.mu.Unlock()
}

// LLMCall records a request the process sent to an LLM API.
func (t *Tracker) LLMCall(ctx pipeline.EventContext, pid uint32, provider, host string) {
	p := t.get(pid)
	t.mu.Lock()
	key := provider + " " + host
	endpoint := p.endpoints[key]
	if endpoint == nil {
		endpoint = &classify.LLMEndpoint{Provider: provider, Host: host}
		p.endpoints[key] = endpoint
	}
	endpoint.Requests++
	first := !p.observation.LLMTraffic
	p.observation.LLMTraffic = true
	t.mu.Unlock()
	if first {
		p.observation.MappedLibs = mappedLibraries(filepath.Join(t.procRoot, strconv.Itoa(int(pid)), "maps"))
		t.reclassify(ctx, p)
	}
}

// MCPInitialize records an MCP initialize request the process sent (an MCP client) or received (an MCP server).
func (t *Tracker) MCPInitialize(ctx pipeline.EventContext, pid uint32, sent bool) {
	p := t.get(pid)
	t.mu.Lock()
	already := p.observation.MCPInitialize
	if sent {
		already = p.observation.MCPInitializeSent
		p.observation.MCPInitializeSent = true
	} else {
		p.observation.MCPInitialize = true
	}
	t.mu.Unlock()
	if !already {
		t.reclassify(ctx, p)
	}
}

// MCPAnswered records that the process answered an MCP initialize on its stdout (an MCP server over stdio).
func (t *Tracker) MCPAnswered(ctx pipeline.EventContext, pid uint32) {
	p := t.get(pid)
	t.mu.Lock()
	already := p.observation.MCPInitializeAnswered
	p.observation.MCPInitializeAnswered = true
	t.mu.Unlock()
	if !already {
		t.reclassify(ctx, p)
	}
}

// FileOpened records a model file the process opened.
func (t *Tracker) FileOpened(ctx pipeline.EventContext, pid uint32, path string) {
	if !classify.IsModelFile(path) {
		return
	}
	p := t.get(pid)
	t.mu.Lock()
	if len(p.observation.ModelFilesOpened) >= 16 {
		t.mu.Unlock()
		return
	}
	p.observation.ModelFilesOpened = append(p.observation.ModelFilesOpened, path)
	t.mu.Unlock()
	t.reclassify(ctx, p)
}

func (t *Tracker) get(pid uint32) *process {
	t.mu.Lock()
	defer t.mu.Unlock()
	p, ok := t.procs[pid]
	if !ok {
		p = &process{endpoints: map[string]*classify.LLMEndpoint{}}
		if cmdline, err := os.ReadFile(filepath.Join(t.procRoot, strconv.Itoa(int(pid)), "cmdline")); err == nil {
			p.observation.Args = strings.Split(strings.TrimRight(string(cmdline), "\x00"), "\x00")
		}
		p.observation.Exe, _ = os.Readlink(filepath.Join(t.procRoot, strconv.Itoa(int(pid)), "exe"))
		// Read with the lock held: once per process that predates the collector, cached per filesystem.
		p.observation.PythonPackages, p.observation.NodePackages = t.packages.For(pid, p.observation.Exe, p.observation.Args)
		t.procs[pid] = p
	}
	return p
}

// reclassify runs the classifier and emits when the role or its reasons changed.
func (t *Tracker) reclassify(ctx pipeline.EventContext, p *process) {
	t.mu.Lock()
	observation := p.observation
	observation.LLMEndpoints = nil
	for _, endpoint := range p.endpoints {
		observation.LLMEndpoints = append(observation.LLMEndpoints, *endpoint)
	}
	t.mu.Unlock()
	result := classify.Classify(observation)
	if result.Role == "" {
		return
	}
	t.mu.Lock()
	changed := result.Role != p.role
	p.role = result.Role
	t.mu.Unlock()
	if !changed || t.Emit == nil {
		return
	}
	details := model.ClassifiedDetails{Role: result.Role, Reasons: bounded(result.Reasons, 32), Frameworks: []model.Framework{}}
	for _, f := range result.Frameworks {
		if len(details.Frameworks) == 64 {
			break
		}
		details.Frameworks = append(details.Frameworks, model.Framework{Name: f.Name, Version: f.Version})
	}
	t.Emit(ctx, details)
}

func bounded(reasons []string, max int) []string {
	if len(reasons) > max {
		reasons = reasons[:max]
	}
	out := make([]string, len(reasons))
	for i, r := range reasons {
		if len(r) > 512 {
			r = r[:512]
		}
		out[i] = r
	}
	return out
}

func mappedLibraries(mapsPath string) []string {
	raw, err := os.ReadFile(mapsPath)
	if err != nil {
		return nil
	}
	seen := map[string]bool{}
	var libs []string
	for _, line := range strings.Split(string(raw), "\n") {
		fields := strings.Fields(line)
		if len(fields) < 6 || !strings.Contains(fields[5], ".so") || seen[fields[5]] {
			continue
		}
		seen[fields[5]] = true
		libs = append(libs, fields[5])
	}
	return libs
}
