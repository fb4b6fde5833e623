package collectortest

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

const relativeOpensScript = `
import os, sys, time
secrets = sys.argv[1]
os.chdir(os.path.join(secrets, "sub", "deeper"))
open("../../token").close()                                      # relative to the cwd
open(os.path.join(secrets, "sub", "..", "token")).close()        # absolute with ..
open(secrets.replace("/vigil-", "//vigil-", 1) + "/./token").close()  # // and /./
d = os.open(secrets, os.O_RDONLY | os.O_DIRECTORY)
os.close(os.open("token", os.O_RDONLY, dir_fd=d))               # relative to a dirfd
open("../../notes").close()                                      # relative, not sensitive
time.sleep(2)                                                    # keep /proc/<pid>/cwd readable
`

// Opens that reach a sensitive file through a relative path, `..`, `//` or a dirfd are reported with the canonical
// path (and the raw one), attributed to the container; an ordinary relative open is not.
func TestSensitiveOpensThroughRelativeAndDotDotPathsAreCanonicalized(t *testing.T) {
	requireRoot(t)
	secrets := "/tmp/vigil-secrets-" + randomHex(4)
	os.MkdirAll(filepath.Join(secrets, "sub", "deeper"), 0o755)
	defer os.RemoveAll(secrets)
	os.WriteFile(filepath.Join(secrets, "token"), []byte("s3cr3t"), 0o600)
	os.WriteFile(filepath.Join(secrets, "notes"), []byte("hello"), 0o600)
	pod := newTestCgroup(t, "cgroupfs")
	c := startCollector(t, collectorOptions{extra: []string{"--sensitive-path", "sa-token=" + secrets + "/token"}})

	pod.Run(t, "python3", "-c", relativeOpensScript, secrets)
	token := secrets + "/token"
	wantRaw := []string{"../../token", secrets + "/sub/../token", "/tmp//vigil-secrets-" + secrets[len("/tmp/vigil-secrets-"):] + "/./token", "token"}
	for _, raw := range wantRaw {
		open := c.WaitFor("file.open of "+raw, 10*time.Second, func(e Event) bool {
			return e.Kind == "file.open" && e.Details["rawPath"] == raw
		})
		if open.Details["path"] != token || open.Details["category"] != "sa-token" || containerOf(open) != pod.ContainerID {
			t.Errorf("open through %q: path %v category %v container %q", raw, open.Details["path"], open.Details["category"], containerOf(open))
		}
	}
	for _, e := range c.All() {
		if e.Kind == "file.open" && (e.Details["path"] == secrets+"/notes" || e.Details["rawPath"] == "../../notes") {
			t.Errorf("an open outside the sensitive prefixes was reported: %s", e.Raw)
		}
	}
}
