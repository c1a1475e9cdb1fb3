import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { TlsIdentity } from './loopback';

let made: TlsIdentity | undefined;

/**
 * A self-signed certificate for 127.0.0.1, made once per test process with the system's
 * `openssl` (Node's crypto makes keys, not certificates). No certificate or key is kept in the
 * repository. The router trusts it through `RouterOverrides.providerCa`, for its provider
 * connections only.
 */
export function loopbackCertificate(): TlsIdentity {
  if (made) return made;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gateward-tls-'));
  try {
    const key = path.join(dir, 'key.pem');
    const cert = path.join(dir, 'cert.pem');
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
      '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', cert,
    ], { stdio: 'pipe' });
    made = { cert: fs.readFileSync(cert, 'utf-8'), key: fs.readFileSync(key, 'utf-8') };
    return made;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
