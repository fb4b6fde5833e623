package proctable

import (
	"os"
	"path"
	"path/filepath"
	"strings"
)

// maxSymlinks bounds symlink resolution like the kernel's ELOOP limit.
const maxSymlinks = 40

// resolveInRoot returns the canonical form of an absolute path as seen from root (a process's /proc/<pid>/root):
// every symlink followed, "." and ".." collapsed, never above root. It is how an exec's filename (/bin/true) becomes
// the path /proc/<pid>/exe would have named (/usr/bin/true on a merged-/usr system) when the process exited before
// /proc could be read. ok is false when a component cannot be read; the caller then keeps the filename.
func resolveInRoot(root, name string) (string, bool) {
	if !path.IsAbs(name) {
		return "", false
	}
	resolved := "/"
	pending := strings.Split(strings.TrimPrefix(path.Clean(name), "/"), "/")
	links := 0
	for len(pending) > 0 {
		part := pending[0]
		pending = pending[1:]
		switch part {
		case "", ".":
			continue
		case "..":
			resolved = path.Dir(resolved)
			continue
		}
		next := path.Join(resolved, part)
		info, err := os.Lstat(filepath.Join(root, next))
		if err != nil {
			return "", false
		}
		if info.Mode()&os.ModeSymlink == 0 {
			resolved = next
			continue
		}
		links++
		if links > maxSymlinks {
			return "", false
		}
		target, err := os.Readlink(filepath.Join(root, next))
		if err != nil {
			return "", false
		}
		if path.IsAbs(target) {
			resolved = "/"
		}
		pending = append(strings.Split(target, "/"), pending...)
	}
	return resolved, true
}
