// Package fakevenv makes, for tests, a virtualenv-shaped prefix whose python is the system interpreter and whose
// site-packages holds an installed openai distribution of a version no real image has (9.8.7).
package fakevenv

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// OpenAIVersion is the version of the openai distribution the virtualenv holds.
const OpenAIVersion = "9.8.7"

// Python returns the virtualenv's python; the test is skipped, saying why, when python3 is not installed.
func Python(t *testing.T) string {
	t.Helper()
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
	prefix := filepath.Join(t.TempDir(), "venv")
	site := filepath.Join(prefix, "lib", version, "site-packages", "openai-"+OpenAIVersion+".dist-info")
	for _, dir := range []string{site, filepath.Join(prefix, "bin")} {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	files := map[string]string{
		filepath.Join(site, "METADATA"):     "Metadata-Version: 2.1\nName: openai\nVersion: " + OpenAIVersion + "\n\nbody\n",
		filepath.Join(prefix, "pyvenv.cfg"): "home = " + filepath.Dir(real) + "\ninclude-system-site-packages = false\n",
	}
	for name, text := range files {
		if err := os.WriteFile(name, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	python := filepath.Join(prefix, "bin", "python3")
	if err := os.Symlink(real, python); err != nil {
		t.Fatal(err)
	}
	return python
}
