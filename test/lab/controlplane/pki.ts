// The lab's own certificate authority and the keys the control plane needs, made with openssl. Created once per
// lab (kept in <stateDir>/pki) so a second `lab up` reuses them and existing kubeconfigs stay valid.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { run } from '../host/run.js';

export interface LabPki {
  dir: string;
  caCert: string;
  caKey: string;
  apiserverCert: string;
  apiserverKey: string;
  serviceAccountKey: string;
  serviceAccountPub: string;
}

const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

export function ensurePki(stateDir: string, apiserverSans: string[]): LabPki {
  const dir = path.join(stateDir, 'pki');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const pki: LabPki = {
    dir,
    caCert: path.join(dir, 'ca.crt'),
    caKey: path.join(dir, 'ca.key'),
    apiserverCert: path.join(dir, 'apiserver.crt'),
    apiserverKey: path.join(dir, 'apiserver.key'),
    serviceAccountKey: path.join(dir, 'sa.key'),
    serviceAccountPub: path.join(dir, 'sa.pub'),
  };
  if (!existsSync(pki.caCert)) {
    run('openssl', ['req', '-x509', ...EC_KEY, '-keyout', pki.caKey, '-out', pki.caCert, '-days', '3650',
      '-subj', '/O=Vigil lab/CN=vigil-lab-ca',
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign,digitalSignature']);
  }
  if (!existsSync(pki.apiserverCert)) {
    issueServingCert(pki, 'apiserver', 'kube-apiserver', apiserverSans);
  }
  if (!existsSync(pki.serviceAccountKey)) {
    run('openssl', ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-out', pki.serviceAccountKey]);
    run('openssl', ['pkey', '-in', pki.serviceAccountKey, '-pubout', '-out', pki.serviceAccountPub]);
  }
  return pki;
}

/**
 * Issues `<dir>/<baseName>.{crt,key}` for a TLS server, signed by the lab CA. `sans` are IP addresses or DNS names.
 * Returns the certificate and key paths; an existing pair is kept.
 */
export function issueServingCert(pki: Pick<LabPki, 'dir' | 'caCert' | 'caKey'>, baseName: string, commonName: string, sans: string[]): { cert: string; key: string } {
  const cert = path.join(pki.dir, `${baseName}.crt`);
  const key = path.join(pki.dir, `${baseName}.key`);
  if (existsSync(cert) && existsSync(key)) return { cert, key };
  const csr = path.join(pki.dir, `${baseName}.csr`);
  const ext = path.join(pki.dir, `${baseName}.ext`);
  const altNames = sans.map((s) => (/^[0-9.]+$/.test(s) || s.includes(':') ? `IP:${s}` : `DNS:${s}`)).join(',');
  writeFileSync(ext, [
    'basicConstraints=critical,CA:FALSE',
    'keyUsage=critical,digitalSignature,keyEncipherment',
    'extendedKeyUsage=serverAuth',
    `subjectAltName=${altNames}`,
    '',
  ].join('\n'));
  run('openssl', ['req', '-new', ...EC_KEY, '-keyout', key, '-out', csr, '-subj', `/O=Vigil lab/CN=${commonName}`]);
  run('openssl', ['x509', '-req', '-in', csr, '-CA', pki.caCert, '-CAkey', pki.caKey, '-CAcreateserial',
    '-days', '825', '-out', cert, '-extfile', ext]);
  return { cert, key };
}
