// Package attribution turns a cgroup id into a container id and a pod: cgroup id -> cgroup path (inode walk of the
// cgroup v2 hierarchy) -> container id and pod uid (both kubelet cgroup drivers) -> pod (Kubernetes API).
package attribution

import (
	"sync"
	"sync/atomic"

	"github.com/vigil-dev/vigil/native-bpf-collector/internal/model"
)

// Attribution is what is known about where an event happened.
type Attribution struct {
	CgroupPath  string
	ContainerID string        // empty when the cgroup is not a container's
	Pod         *model.PodRef // nil when no pod matched
}

// Attributor resolves cgroup ids, caching per id.
type Attributor struct {
	cgroups *CgroupPaths
	pods    *PodIndex
	mu      sync.RWMutex
	cache   map[uint64]Attribution

	Unattributed atomic.Uint64 // events from a container cgroup whose pod could not be found
}

func NewAttributor(cgroups *CgroupPaths, pods *PodIndex) *Attributor {
	return &Attributor{cgroups: cgroups, pods: pods, cache: map[uint64]Attribution{}}
}

// Resolve attributes one event's cgroup. Only complete answers (pod found, or not a container at all) are cached:
// a container whose pod is not yet known is looked up again on its next event, as the pod watch catches up.
func (a *Attributor) Resolve(cgroupID uint64) Attribution {
	a.mu.RLock()
	cached, ok := a.cache[cgroupID]
	a.mu.RUnlock()
	if ok {
		return cached
	}
	result := Attribution{}
	path, known := a.cgroups.Lookup(cgroupID)
	complete := known
	if known {
		result.CgroupPath = path
		if identity, isPod := IdentifyCgroup(path); isPod {
			result.ContainerID = identity.ContainerID
			if ref, found := a.pods.Find(identity); found {
				result.Pod = &ref
			} else {
				complete = false
			}
		}
	}
	if complete {
		a.mu.Lock()
		a.cache[cgroupID] = result
		a.mu.Unlock()
	}
	if result.Pod == nil && (!known || result.ContainerID != "") {
		a.Unattributed.Add(1)
	}
	return result
}

// Forget drops cached answers (when pods change).
func (a *Attributor) Forget() {
	a.mu.Lock()
	a.cache = map[uint64]Attribution{}
	a.mu.Unlock()
}

// CgroupsByContainer finds the cgroup directory of a container id (for enforcement).
func (a *Attributor) CgroupPathOfContainer(containerID string) (string, bool) {
	a.cgroups.rescan()
	a.cgroups.mu.RLock()
	defer a.cgroups.mu.RUnlock()
	for _, path := range a.cgroups.paths {
		if identity, ok := IdentifyCgroup(path); ok && identity.ContainerID == containerID {
			return path, true
		}
	}
	return "", false
}
