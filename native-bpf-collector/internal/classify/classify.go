// Package classify decides from what the collector saw of a process whether it is an AI workload, and which kind:
// an agent (calls LLM APIs, loads AI SDKs), an inference server (serves a model), an MCP server (answers the Model
// Context Protocol) or a tool (a process an agent spawned to carry out a tool call).
//
// Every role comes with the reasons behind it, in words a responder reads without knowing the rules.
package classify

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"unicode/utf8"
)

// Roles, as in the workload.classified event (shared/model/event.ts).
const (
	RoleAgent           = "agent"
	RoleInferenceServer = "inference-server"
	RoleMCPServer       = "mcp-server"
	RoleTool            = "tool"
)

// Observation is what the collector knows about one process (or, merged, one container).
type Observation struct {
	Exe  string
	Args []string
	// MappedLibs are the paths of shared objects the process mapped (/proc/<pid>/maps).
	MappedLibs []string
	// PythonPackages and NodePackages map installed package names to versions (see PythonPackagesFromSitePackages
	// and NodePackagesFromPath).
	PythonPackages map[string]string
	NodePackages   map[string]string
	// LLMTraffic: the process sent requests to an LLM API. LLMEndpoints, when known, says where and how often.
	LLMTraffic   bool
	LLMEndpoints []LLMEndpoint
	// LLMRequestsServed counts LLM API requests the process answered (it is the server side).
	LLMRequestsServed int
	ModelFilesOpened  []string
	// MCPInitialize: the process received an MCP initialize request (it is an MCP server).
	MCPInitialize bool
	// MCPInitializeSent: the process sent one (it is an MCP client, usually an agent).
	MCPInitializeSent bool
	// MCPInitializeAnswered: the process answered one on its stdout (an MCP server over stdio).
	MCPInitializeAnswered bool
	// ParentRole is the role already given to the parent process, if any.
	ParentRole string
}

// LLMEndpoint is one LLM API the process called.
type LLMEndpoint struct {
	Provider string // "openai", "anthropic", "unknown"
	Host     string
	Requests int
}

type Result struct {
	Role       string      `json:"role"`
	Reasons    []string    `json:"reasons"`
	Frameworks []Framework `json:"frameworks"`
}

type Framework struct {
	Name     string `json:"name"`
	Version  string `json:"version,omitempty"`
	Language string `json:"language,omitempty"`
}

// evidence gathers reasons per role; the strongest role with any reason wins.
type evidence struct {
	byRole map[string][]string
}

func (e *evidence) add(role, reason string) {
	e.byRole[role] = append(e.byRole[role], reason)
}

// rolePriority resolves a process that shows several kinds of evidence. Serving a model outranks everything (vLLM
// ships the openai SDK and answers on an OpenAI-compatible API); an MCP server is often spawned by an agent, so
// it outranks tool; calling an LLM makes a child process an agent of its own rather than a tool.
var rolePriority = []string{RoleInferenceServer, RoleMCPServer, RoleAgent, RoleTool}

// installedOnlyPriority decides when the only evidence is packages present in the image: agent SDKs often pull
// in the MCP SDK as a client (openai-agents does), so there an agent outranks an MCP server.
var installedOnlyPriority = []string{RoleInferenceServer, RoleAgent, RoleMCPServer}

// pickRole prefers a role shown by what the process did or loaded over one suggested by installed packages alone.
func pickRole(byRole map[string][]string) string {
	for _, role := range rolePriority {
		if !onlyInstalledPackages(byRole[role]) {
			return role
		}
	}
	for _, role := range installedOnlyPriority {
		if len(byRole[role]) > 0 {
			return role
		}
	}
	return ""
}

// Classify returns the role of the observed process with its reasons, or an empty role when nothing points to an
// AI workload. Frameworks lists every AI SDK or runtime found, whatever the role.
func Classify(o Observation) Result {
	e := &evidence{byRole: map[string][]string{}}
	frameworks := collectFrameworks(o, e)
	commandLineEvidence(o, e)
	trafficEvidence(o, e)
	if len(o.ModelFilesOpened) > 0 {
		models := modelFiles(o.ModelFilesOpened)
		if len(models) > 0 {
			e.add(RoleInferenceServer, fmt.Sprintf("opened %s", describeFiles(models)))
		}
	}
	if o.MCPInitialize {
		e.add(RoleMCPServer, "received an MCP initialize request (JSON-RPC): it serves MCP tools")
	}
	if o.MCPInitializeAnswered {
		e.add(RoleMCPServer, "answered an MCP initialize request on its stdout (JSON-RPC over stdio): it serves MCP tools")
	}
	if o.MCPInitializeSent {
		e.add(RoleAgent, "sent an MCP initialize request: it uses MCP tools")
	}
	if o.ParentRole == RoleAgent {
		e.add(RoleTool, "was started by a process classified as an agent")
	}

	result := Result{Frameworks: frameworks, Reasons: []string{}}
	result.Role = pickRole(e.byRole)
	if result.Role != "" {
		result.Reasons = e.byRole[result.Role]
	}
	if result.Frameworks == nil {
		result.Frameworks = []Framework{}
	}
	return bounded(result)
}

// Bounds of the workload.classified event (shared/model/event.ts).
const (
	maxReasons       = 32
	maxReasonLength  = 512
	maxFrameworks    = 64
	maxFrameworkName = 128
	maxVersion       = 64
)

func bounded(r Result) Result {
	if len(r.Reasons) > maxReasons {
		omitted := len(r.Reasons) - (maxReasons - 1)
		r.Reasons = append(r.Reasons[:maxReasons-1:maxReasons-1], fmt.Sprintf("and %d more reasons", omitted))
	}
	for i, reason := range r.Reasons {
		r.Reasons[i] = clip(reason, maxReasonLength)
	}
	if len(r.Frameworks) > maxFrameworks {
		r.Frameworks = r.Frameworks[:maxFrameworks]
	}
	for i := range r.Frameworks {
		r.Frameworks[i].Name = clip(r.Frameworks[i].Name, maxFrameworkName)
		r.Frameworks[i].Version = clip(r.Frameworks[i].Version, maxVersion)
	}
	return r
}

// clip cuts s to at most max bytes on a UTF-8 boundary.
func clip(s string, max int) string {
	if len(s) <= max {
		return s
	}
	for max > 0 && !utf8.RuneStart(s[max]) {
		max--
	}
	return s[:max]
}

const installedPrefix = "has "

// onlyInstalledPackages is true when every reason (and there may be none) is a package present in the image.
func onlyInstalledPackages(reasons []string) bool {
	for _, r := range reasons {
		if !strings.HasPrefix(r, installedPrefix) {
			return false
		}
	}
	return true
}

func trafficEvidence(o Observation, e *evidence) {
	for _, ep := range o.LLMEndpoints {
		if ep.Requests <= 0 {
			continue
		}
		e.add(RoleAgent, fmt.Sprintf("sent %s to %s at %s", plural(ep.Requests, "request"), apiName(ep.Provider), ep.Host))
	}
	if o.LLMTraffic && len(o.LLMEndpoints) == 0 {
		e.add(RoleAgent, "sent requests to an LLM API")
	}
	if o.LLMRequestsServed > 0 {
		e.add(RoleInferenceServer, fmt.Sprintf("answered %s on an LLM API", plural(o.LLMRequestsServed, "request")))
	}
}

func apiName(provider string) string {
	switch provider {
	case "openai":
		return "an OpenAI-compatible API"
	case "anthropic":
		return "an Anthropic-style API"
	default:
		return "an LLM API"
	}
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// modelFiles keeps the paths that are model weights, in a stable order without duplicates.
func modelFiles(paths []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, p := range paths {
		if IsModelFile(p) && !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	sort.Strings(out)
	return out
}

func describeFiles(paths []string) string {
	if len(paths) == 1 {
		return "model file " + paths[0]
	}
	return fmt.Sprintf("%d model files (%s, ...)", len(paths), filepath.Base(paths[0]))
}
