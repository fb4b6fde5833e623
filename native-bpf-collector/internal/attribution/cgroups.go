package attribution

import (
	"io/fs"
	"path/filepath"
	"sync"
	"syscall"
	"time"
)

// CgroupPaths maps cgroup v2 ids (what bpf_get_current_cgroup_id returns: the inode number of the cgroup's
// directory) to their paths. It walks the hierarchy once at start — which is what attributes containers that were
// running before the collector — and again, rate-limited, whenever an unknown id shows up.
type CgroupPaths struct {
	root        string
	minRescan   time.Duration
	mu          sync.RWMutex
	paths       map[uint64]string
	lastRescan  time.Time
	rescanCount uint64
}

func NewCgroupPaths(root string) *CgroupPaths {
	paths := &CgroupPaths{root: root, minRescan: 200 * time.Millisecond, paths: map[uint64]string{}}
	paths.rescan()
	return paths
}

// Lookup returns the path of a cgroup id relative to the root ("/kubepods/..."), rescanning if it is unknown.
func (c *CgroupPaths) Lookup(id uint64) (string, bool) {
	c.mu.RLock()
	path, ok := c.paths[id]
	last := c.lastRescan
	c.mu.RUnlock()
	if ok || time.Since(last) < c.minRescan {
		return path, ok
	}
	c.rescan()
	c.mu.RLock()
	defer c.mu.RUnlock()
	path, ok = c.paths[id]
	return path, ok
}

// Rescans reports how many times the hierarchy was walked (a metric).
func (c *CgroupPaths) Rescans() uint64 {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.rescanCount
}

func (c *CgroupPaths) rescan() {
	found := map[uint64]string{}
	_ = filepath.WalkDir(c.root, func(path string, entry fs.DirEntry, err error) error {
		if err != nil || !entry.IsDir() {
			return nil
		}
		info, err := entry.Info()
		if err != nil {
			return nil
		}
		if stat, ok := info.Sys().(*syscall.Stat_t); ok {
			rel, _ := filepath.Rel(c.root, path)
			if rel == "." {
				rel = ""
			}
			found[stat.Ino] = "/" + filepath.ToSlash(rel)
		}
		return nil
	})
	c.mu.Lock()
	c.paths = found
	c.lastRescan = time.Now()
	c.rescanCount++
	c.mu.Unlock()
}
