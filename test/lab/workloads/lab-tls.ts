// The lab's own certificate authority and the one server certificate every "external" HTTPS host serves.
// Agents trust it through SSL_CERT_FILE / REQUESTS_CA_BUNDLE / NODE_EXTRA_CA_CERTS; nothing outside the lab does.
// Made with Debian's openssl once per state directory and reused; regenerated only when a file is missing.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { EXTERNAL_HOSTS } from '../topology.js';

export interface LabTls {
  caFile: string;
  certFile: string;
  keyFile: string;
}

/** Names and addresses the server certificate covers: every external host, plus loopback for development. */
export function serverCertificateNames(): { dns: string[]; ips: string[] } {
  return {
    dns: [...EXTERNAL_HOSTS.map((h) => h.name), 'localhost'],
    ips: [...EXTERNAL_HOSTS.map((h) => h.ip), '127.0.0.1'],
  };
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

export function ensureLabTls(dir: string): LabTls {
  const tls = { caFile: path.join(dir, 'ca.crt'), certFile: path.join(dir, 'server.crt'), keyFile: path.join(dir, 'server.key') };
  const { dns, ips } = serverCertificateNames();
  const san = [...dns.map((d) => `DNS:${d}`), ...ips.map((ip) => `IP:${ip}`)].join(',');
  const extFile = path.join(dir, 'server.ext');
  const ext = `subjectAltName=${san}\nextendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature\n`;
  // The server certificate is reissued when the lab's names or addresses changed; the CA stays.
  const current = existsSync(extFile) && readFileSync(extFile, 'utf8') === ext;
  if (current && existsSync(tls.caFile) && existsSync(tls.certFile) && existsSync(tls.keyFile)) return tls;
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  if (!existsSync(tls.caFile) || !existsSync(path.join(dir, 'ca.key'))) {
    openssl(['req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '3650', '-subj', '/O=Vigil lab/CN=Vigil lab CA',
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir);
  }
  writeFileSync(extFile, ext);
  openssl(['req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/O=Vigil lab/CN=lab external hosts'], dir);
  openssl(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.crt',
    '-days', '825', '-extfile', 'server.ext'], dir);
  return tls;
}
