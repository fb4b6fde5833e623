package pipeline

import (
	"os"
	"path"
	"strconv"
	"strings"

	"github.com/vigil-dev/vigil/native-bpf-collector/internal/probes"
)

// OpenResolver turns the path of an open the kernel could not match as written (`../../etc/shadow` from a cwd,
// `/srv/files/../../etc/shadow`, a name under a dirfd) into the canonical path and matches it against the same
// prefix list the kernel uses. The cwd and dirfd are read from /proc when the record is handled, milliseconds after
// the open: a process that changed directory or closed the dirfd in between is resolved against the new one, and
// one that already exited is counted as unresolvable. `..` is resolved lexically (after symlinks in the base
// directory, which /proc returns resolved), as a shell would.
type OpenResolver struct {
	ProcRoot string
	Prefixes []probes.SensitivePrefix
}

// Resolve returns the canonical path the process named, as seen from the process's own root.
func (r *OpenResolver) Resolve(pid uint32, dirfd int32, raw string) (string, bool) {
	if strings.HasPrefix(raw, "/") {
		return path.Clean(raw), true
	}
	procDir := path.Join(r.ProcRoot, strconv.FormatUint(uint64(pid), 10))
	link := "cwd"
	if dirfd != probes.AtFdCwd {
		link = path.Join("fd", strconv.Itoa(int(dirfd)))
	}
	base, err := os.Readlink(path.Join(procDir, link))
	if err != nil || !strings.HasPrefix(base, "/") {
		return "", false
	}
	// /proc shows the directory from the collector's root; a container's process sees it from its own root.
	if root, err := os.Readlink(path.Join(procDir, "root")); err == nil && root != "/" {
		if base == root {
			base = "/"
		} else if strings.HasPrefix(base, root+"/") {
			base = base[len(root):]
		}
	}
	return path.Clean(path.Join(base, raw)), true
}

// Match returns the category index of the first prefix the canonical path starts with.
func (r *OpenResolver) Match(canonical string) (uint32, bool) {
	for _, prefix := range r.Prefixes {
		if strings.HasPrefix(canonical, prefix.Prefix) {
			return prefix.Category, true
		}
	}
	return 0, false
}
