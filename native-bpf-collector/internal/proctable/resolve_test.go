package proctable

import (
	"os"
	"path/filepath"
	"testing"
)

func TestResolveInRootFollowsLinksWithoutLeavingRoot(t *testing.T) {
	root := t.TempDir()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.MkdirAll(filepath.Join(root, "usr/bin"), 0o755))
	must(os.WriteFile(filepath.Join(root, "usr/bin/true"), nil, 0o755))
	must(os.Symlink("usr/bin", filepath.Join(root, "bin")))                    // merged /usr, relative link
	must(os.Symlink("/usr/bin/true", filepath.Join(root, "usr/bin/alias")))    // absolute link, inside root
	must(os.Symlink("../../../../usr/bin", filepath.Join(root, "usr/escape"))) // tries to climb above root
	must(os.Symlink("loop", filepath.Join(root, "loop")))

	cases := map[string]string{
		"/bin/true":            "/usr/bin/true",
		"/bin/alias":           "/usr/bin/true",
		"/usr/escape/true":     "/usr/bin/true",
		"/usr/bin/../bin/true": "/usr/bin/true",
		"/usr/./bin//true":     "/usr/bin/true",
	}
	for in, want := range cases {
		got, ok := resolveInRoot(root, in)
		if !ok || got != want {
			t.Errorf("resolveInRoot(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for _, bad := range []string{"/loop", "/missing/true", "relative/true"} {
		if got, ok := resolveInRoot(root, bad); ok {
			t.Errorf("resolveInRoot(%q) = %q, want failure", bad, got)
		}
	}
}

func TestExecOfAProcessAlreadyGoneNamesTheCanonicalExecutable(t *testing.T) {
	procRoot := t.TempDir()
	parentRoot := filepath.Join(procRoot, "100", "root") // the parent is alive; the child (pid 101) is gone
	if err := os.MkdirAll(filepath.Join(parentRoot, "usr/bin"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(parentRoot, "usr/bin/true"), nil, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("usr/bin", filepath.Join(parentRoot, "bin")); err != nil {
		t.Fatal(err)
	}
	ref := New(procRoot).Exec(101, 100, 0, 1, "/bin/true", []string{"/bin/true"})
	if ref.Exe != "/usr/bin/true" {
		t.Fatalf("exe = %q, want /usr/bin/true", ref.Exe)
	}
	if other := New(t.TempDir()).Exec(101, 100, 0, 1, "/bin/true", nil); other.Exe != "/bin/true" {
		t.Fatalf("with neither process readable the filename stays: got %q", other.Exe)
	}
}
