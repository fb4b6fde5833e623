import { describe, expect, it } from 'vitest';
import { kubeletContainerCgroup } from './cgroups.js';

const uid = '3f2a6c1e-8b7d-4e2f-9a01-5c6d7e8f9a0b';
const cid = 'a'.repeat(64);

describe('kubeletContainerCgroup', () => {
  it('names systemd-driver cgroups like the kubelet (uid dashes become underscores)', () => {
    expect(kubeletContainerCgroup('systemd', 'burstable', uid, cid)).toBe(
      `kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod3f2a6c1e_8b7d_4e2f_9a01_5c6d7e8f9a0b.slice/cri-containerd-${cid}.scope`);
    expect(kubeletContainerCgroup('systemd', 'besteffort', uid, cid)).toMatch(/^kubepods\.slice\/kubepods-besteffort\.slice\/kubepods-besteffort-pod/);
  });

  it('puts guaranteed pods directly under kubepods with both drivers', () => {
    expect(kubeletContainerCgroup('systemd', 'guaranteed', uid, cid)).toBe(
      `kubepods.slice/kubepods-pod3f2a6c1e_8b7d_4e2f_9a01_5c6d7e8f9a0b.slice/cri-containerd-${cid}.scope`);
    expect(kubeletContainerCgroup('cgroupfs', 'guaranteed', uid, cid)).toBe(`kubepods/pod${uid}/${cid}`);
  });

  it('names cgroupfs-driver cgroups kubepods/<qos>/pod<uid>/<cid>, keeping dashes', () => {
    expect(kubeletContainerCgroup('cgroupfs', 'burstable', uid, cid)).toBe(`kubepods/burstable/pod${uid}/${cid}`);
  });
});
