package attribution

import (
	"path/filepath"
	"regexp"
	"strings"
)

// CgroupIdentity is what a cgroup path says about the container in it, for both kubelet cgroup drivers:
//
//	cgroupfs: /kubepods/burstable/pod<uid>/<containerId>
//	systemd:  /kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod<uid_underscored>.slice/cri-containerd-<containerId>.scope
type CgroupIdentity struct {
	PodUID      string // with dashes, as the API server spells it
	ContainerID string // 64 hex digits; empty for the pod-level cgroup
}

var (
	cgroupfsPod      = regexp.MustCompile(`^pod([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$`)
	systemdPod       = regexp.MustCompile(`-pod([0-9a-f]{8}_[0-9a-f]{4}_[0-9a-f]{4}_[0-9a-f]{4}_[0-9a-f]{12})\.slice$`)
	bareContainerID  = regexp.MustCompile(`^[0-9a-f]{64}$`)
	systemdContainer = regexp.MustCompile(`^(?:cri-containerd|crio|docker)-([0-9a-f]{64})\.scope$`)
)

// IdentifyCgroup reads the pod uid and container id from a cgroup path (relative to the cgroup v2 root).
// ok is false when the path is not under a kubepods hierarchy.
func IdentifyCgroup(path string) (identity CgroupIdentity, ok bool) {
	parts := strings.Split(filepath.ToSlash(path), "/")
	for _, part := range parts {
		if m := cgroupfsPod.FindStringSubmatch(part); m != nil {
			identity.PodUID = m[1]
			ok = true
			continue
		}
		if m := systemdPod.FindStringSubmatch(part); m != nil {
			identity.PodUID = strings.ReplaceAll(m[1], "_", "-")
			ok = true
			continue
		}
		if !ok {
			continue
		}
		if m := systemdContainer.FindStringSubmatch(part); m != nil {
			identity.ContainerID = m[1]
		} else if bareContainerID.MatchString(part) {
			identity.ContainerID = part
		}
	}
	return identity, ok
}

// NormalizeContainerID strips the runtime scheme of a Kubernetes containerStatuses[].containerID
// ("containerd://<id>") so it can be compared with the id found in a cgroup path.
func NormalizeContainerID(id string) string {
	if i := strings.Index(id, "://"); i >= 0 {
		return id[i+3:]
	}
	return id
}
