package pipeline

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/vigil-dev/vigil/native-bpf-collector/internal/probes"
)

// fakeProc builds <root>/<pid>/{cwd,root,fd/N} symlinks the way /proc shows them.
func fakeProc(t *testing.T, cwd, root string, fds map[string]string) string {
	dir := t.TempDir()
	pidDir := filepath.Join(dir, "42")
	os.MkdirAll(filepath.Join(pidDir, "fd"), 0o755)
	os.Symlink(cwd, filepath.Join(pidDir, "cwd"))
	os.Symlink(root, filepath.Join(pidDir, "root"))
	for fd, target := range fds {
		os.Symlink(target, filepath.Join(pidDir, "fd", fd))
	}
	return dir
}

func TestOpenResolverCanonicalizes(t *testing.T) {
	r := &OpenResolver{ProcRoot: fakeProc(t, "/srv/files", "/", map[string]string{"7": "/etc"}),
		Prefixes: []probes.SensitivePrefix{{Prefix: "/etc/shadow", Category: 1}, {Prefix: "/root/.ssh/", Category: 2}}}
	cases := []struct {
		raw   string
		dirfd int32
		want  string
	}{
		{"/srv/files/../../etc/shadow", probes.AtFdCwd, "/etc/shadow"},
		{"/etc//shadow", probes.AtFdCwd, "/etc/shadow"},
		{"/etc/./shadow", probes.AtFdCwd, "/etc/shadow"},
		{"../../etc/shadow", probes.AtFdCwd, "/etc/shadow"},
		{"../../../../../etc/shadow", probes.AtFdCwd, "/etc/shadow"},
		{"shadow", 7, "/etc/shadow"},
		{"notes.txt", probes.AtFdCwd, "/srv/files/notes.txt"},
	}
	for _, c := range cases {
		got, ok := r.Resolve(42, c.dirfd, c.raw)
		if !ok || got != c.want {
			t.Errorf("Resolve(%q, dirfd %d) = %q %v, want %q", c.raw, c.dirfd, got, ok, c.want)
		}
	}
	if category, ok := r.Match("/etc/shadow"); !ok || category != 1 {
		t.Errorf("Match(/etc/shadow) = %d %v", category, ok)
	}
	if _, ok := r.Match("/srv/files/notes.txt"); ok {
		t.Errorf("an ordinary file matched a sensitive prefix")
	}
	if _, ok := r.Resolve(43, probes.AtFdCwd, "x"); ok {
		t.Errorf("a process that is gone resolved")
	}
}

func TestOpenResolverSeesContainerPathsFromTheContainerRoot(t *testing.T) {
	rootfs := "/run/containerd/io.containerd.runtime.v2.task/k8s.io/abc/rootfs"
	r := &OpenResolver{ProcRoot: fakeProc(t, rootfs+"/app", rootfs, nil)}
	if got, _ := r.Resolve(42, probes.AtFdCwd, "../var/run/secrets/kubernetes.io/serviceaccount/token"); got != "/var/run/secrets/kubernetes.io/serviceaccount/token" {
		t.Errorf("container-relative resolution: %q", got)
	}
}
