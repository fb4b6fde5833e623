package workloads

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vigil-dev/vigil/native-bpf-collector/internal/fakevenv"
)

func TestInstalledPackagesOfAPythonProcessInAVirtualenv(t *testing.T) {
	python := fakevenv.Python(t)
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
