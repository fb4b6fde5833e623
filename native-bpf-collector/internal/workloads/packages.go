package workloads

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"

	"github.com/vigil-dev/vigil/native-bpf-collector/internal/classify"
)

// installedPackages reads, for Python and Node processes, the package versions installed where the process runs:
// the usual environments of its root filesystem (/proc/<pid>/root, so a container's image), the virtualenv its
// interpreter was started from (<prefix>/bin/python → <prefix>/lib/python3*/site-packages) and the node_modules of
// its working directory and script. Reading site-packages is a few hundred small files, so results are cached per
// root filesystem and location, and other processes are never looked at.
type installedPackages struct {
	procRoot string
	mu       sync.Mutex
	cache    map[string]map[string]string
}

const maxPackageCacheEntries = 1024

func newInstalledPackages(procRoot string) *installedPackages {
	return &installedPackages{procRoot: procRoot, cache: map[string]map[string]string{}}
}

func interpreterKind(exe string, args []string) string {
	names := []string{filepath.Base(exe)}
	if len(args) > 0 {
		names = append(names, filepath.Base(args[0]))
	}
	for _, name := range names {
		switch {
		case strings.HasPrefix(name, "python"):
			return "python"
		case name == "node" || name == "nodejs":
			return "node"
		}
	}
	return ""
}

// For returns (python, node) packages of the process, either nil when it is neither.
func (p *installedPackages) For(pid uint32, exe string, args []string) (python, node map[string]string) {
	kind := interpreterKind(exe, args)
	if kind == "" {
		return nil, nil
	}
	procDir := filepath.Join(p.procRoot, strconv.Itoa(int(pid)))
	root := filepath.Join(procDir, "root")
	var info syscall.Stat_t
	if syscall.Stat(root, &info) != nil {
		return nil, nil
	}
	rootID := strconv.FormatUint(info.Dev, 10) + ":" + strconv.FormatUint(info.Ino, 10)
	merged := map[string]string{}
	if kind == "python" {
		p.merge(merged, rootID+" image", func() map[string]string {
			packages, _ := classify.PythonPackagesFromSitePackages(root)
			return packages
		})
		for _, interpreter := range []string{exe, firstArg(args)} {
			if !filepath.IsAbs(interpreter) {
				continue
			}
			prefix := filepath.Dir(filepath.Dir(interpreter))
			matches, _ := filepath.Glob(filepath.Join(root, prefix, "lib", "python3*", "site-packages"))
			for _, dir := range matches {
				p.merge(merged, rootID+" "+dir, func() map[string]string {
					packages, _ := classify.PythonPackagesFromSitePackages(dir)
					return packages
				})
			}
		}
		return merged, nil
	}
	cwd, _ := os.Readlink(filepath.Join(procDir, "cwd"))
	for _, dir := range nodeModuleDirs(cwd, args) {
		full := filepath.Join(root, dir)
		p.merge(merged, rootID+" "+full, func() map[string]string {
			packages, _ := classify.NodePackagesFromPath(full)
			return packages
		})
	}
	return nil, merged
}

// nodeModuleDirs are the node_modules directories Node would resolve from: the script's directory and up to three
// parents; the working directory only when there is no script (node -e, a REPL), as Node itself does — a script run
// from inside some other project must not take that project's packages.
func nodeModuleDirs(cwd string, args []string) []string {
	var starts []string
	for _, arg := range args[min(1, len(args)):] {
		if strings.HasPrefix(arg, "-") {
			continue
		}
		if !filepath.IsAbs(arg) && cwd != "" {
			arg = filepath.Join(cwd, arg)
		}
		starts = append(starts, filepath.Dir(arg))
		break
	}
	if len(starts) == 0 && cwd != "" {
		starts = append(starts, cwd)
	}
	seen := map[string]bool{}
	var dirs []string
	for _, start := range starts {
		dir := start
		for i := 0; i < 4 && filepath.IsAbs(dir); i++ {
			modules := filepath.Join(dir, "node_modules")
			if !seen[modules] {
				seen[modules] = true
				dirs = append(dirs, modules)
			}
			if dir == "/" {
				break
			}
			dir = filepath.Dir(dir)
		}
	}
	return dirs
}

func firstArg(args []string) string {
	if len(args) == 0 {
		return ""
	}
	return args[0]
}

func (p *installedPackages) merge(into map[string]string, key string, read func() map[string]string) {
	p.mu.Lock()
	packages, ok := p.cache[key]
	p.mu.Unlock()
	if !ok {
		packages = read()
		p.mu.Lock()
		if len(p.cache) >= maxPackageCacheEntries {
			p.cache = map[string]map[string]string{}
		}
		p.cache[key] = packages
		p.mu.Unlock()
	}
	for name, version := range packages {
		into[name] = version
	}
}
