package attribution

import "testing"

func TestIdentifyCgroupForBothKubeletDrivers(t *testing.T) {
	const cid = "617fa0a8e452dba583cc1367ac7467c963309265f556b990d834c921ef5b0a95"
	cases := []struct {
		path string
		want CgroupIdentity
		ok   bool
	}{
		{"/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod6277f3a0_40bb_4291_b28d_b7b5042621a8.slice/cri-containerd-" + cid + ".scope",
			CgroupIdentity{PodUID: "6277f3a0-40bb-4291-b28d-b7b5042621a8", ContainerID: cid}, true},
		{"/kubepods/burstable/pod3fc0d649-bec8-47ff-87c0-0d8239587d4a/" + cid,
			CgroupIdentity{PodUID: "3fc0d649-bec8-47ff-87c0-0d8239587d4a", ContainerID: cid}, true},
		{"/kubepods/pod3fc0d649-bec8-47ff-87c0-0d8239587d4a", CgroupIdentity{PodUID: "3fc0d649-bec8-47ff-87c0-0d8239587d4a"}, true},
		{"/kubepods.slice/kubepods-pod6277f3a0_40bb_4291_b28d_b7b5042621a8.slice/crio-" + cid + ".scope",
			CgroupIdentity{PodUID: "6277f3a0-40bb-4291-b28d-b7b5042621a8", ContainerID: cid}, true},
		{"/system.slice/sshd.service", CgroupIdentity{}, false},
		{"/", CgroupIdentity{}, false},
	}
	for _, c := range cases {
		got, ok := IdentifyCgroup(c.path)
		if ok != c.ok || got != c.want {
			t.Errorf("%s: got %+v %v, want %+v %v", c.path, got, ok, c.want, c.ok)
		}
	}
	if NormalizeContainerID("containerd://"+cid) != cid {
		t.Error("containerd:// scheme not stripped")
	}
}
