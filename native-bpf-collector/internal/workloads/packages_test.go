package workloads

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestInstalledPackagesOfAPythonProcessInAVirtualenv(t *testing.T) {
	system, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("skipped: python3 is not installed")
	}
	out, err := exec.Command(system, "-c", "import sys; print('python%d.%d' % sys.version_info[:2]); print(sys.executable)").Output()
	if err != nil {
		t.Fatal(err)
	}
	// The real interpreter (python3 on PATH may be a shim script that execs another one).
	version, real, _ := strings.Cut(strings.TrimSpace(string(out)), "\n")
	system = real
	prefix := filepath.Join(t.TempDir(), "venv")
	dist := filepath.Join(prefix, "lib", version, "site-packages", "openai-9.8.7.dist-info")
	os.MkdirAll(dist, 0o755)
	os.MkdirAll(filepath.Join(prefix, "bin"), 0o755)
	os.WriteFile(filepath.Join(dist, "METADATA"), []byte("Metadata-Version: 2.1\nName: openai\nVersion: 9.8.7\n"), 0o644)
	python := filepath.Join(prefix, "bin", "python3")
	os.Symlink(system, python)
	cmd := exec.Command(python, "-c", "import time; time.sleep(5)")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	time.Sleep(200 * time.Millisecond)
	exe, _ := os.Readlink(filepath.Join("/proc", strconv.Itoa(cmd.Process.Pid), "exe"))
	packages, node := newInstalledPackages("/proc").For(uint32(cmd.Process.Pid), exe, []string{python, "-c", "..."})
	if packages["openai"] != "9.8.7" || node != nil {
		t.Fatalf("packages of a python in a virtualenv: openai %q (exe %s, %d packages)", packages["openai"], exe, len(packages))
	}
}

func TestNodeModulesAreLookedUpFromTheScriptNotAnUnrelatedCwd(t *testing.T) {
	dirs := nodeModuleDirs("/work/project", []string{"node", "/srv/app/server.js"})
	if len(dirs) == 0 || dirs[0] != "/srv/app/node_modules" {
		t.Fatalf("script lookup: %v", dirs)
	}
	for _, d := range dirs {
		if strings.HasPrefix(d, "/work/") {
			t.Fatalf("a script's packages were looked up in the cwd: %v", dirs)
		}
	}
	if dirs := nodeModuleDirs("/work/project", []string{"node", "-e", "1"}); len(dirs) == 0 || dirs[0] != "/work/project/node_modules" {
		t.Fatalf("node -e lookup: %v", dirs)
	}
}
