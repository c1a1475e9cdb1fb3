import { Token } from 'cdktf';
import { join, ProblemCollector } from '../../problems/problem-collector';
import { checkKnownKeys } from '../../spec/private/known-keys';
import { AwsApiEndpoints } from '../aws-api-endpoints';

const ENDPOINT_KEYS: ReadonlyArray<keyof AwsApiEndpoints> = ['stsEndpoint', 'iamEndpoint', 'stsRegion'];
const LOOPBACK_HOSTS = ['localhost', '[::1]'];

/** True for 127.0.0.0/8, `::1` and `localhost`. */
function isLoopback(hostname: string): boolean {
  return LOOPBACK_HOSTS.includes(hostname) || /^127(\.\d{1,3}){3}$/.test(hostname);
}

/**
 * Reports every problem of the AWS API endpoints: unknown keys, URLs that are not https (or
 * http on loopback), URLs with credentials, a path, a query or a fragment, and a malformed region.
 */
export function checkAwsApiEndpoints(c: ProblemCollector, path: string, endpoints: AwsApiEndpoints | undefined): void {
  if (endpoints === undefined) return;
  if (endpoints === null || typeof endpoints !== 'object' || Array.isArray(endpoints)) {
    c.add(path, endpoints, 'must be an object', 'pass { stsEndpoint?, iamEndpoint?, stsRegion? } or leave it unset');
    return;
  }
  checkKnownKeys(c, path, endpoints, ENDPOINT_KEYS, 'AwsApiEndpoints');
  for (const key of ['stsEndpoint', 'iamEndpoint'] as const) {
    const value = endpoints[key];
    if (value === undefined || (typeof value === 'string' && Token.isUnresolved(value))) continue;
    const at = join(path, key);
    const fix = 'give an https:// URL, or http://127.0.0.1:<port> for an emulator on the Vault server\'s machine';
    if (typeof value !== 'string') {
      c.add(at, value, 'must be a URL string', fix);
      continue;
    }
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      c.add(at, value, 'is not a URL', fix);
      continue;
    }
    if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
      c.add(at, value, 'is plain http to a host that is not loopback, so signed AWS requests would travel in clear', fix);
    } else if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      c.add(at, value, `uses ${url.protocol.replace(/:$/, '')}, not https`, fix);
    } else if (url.username || url.password) {
      c.add(at, `${url.protocol}//***@${url.host}`, 'carries credentials, which would be written into the synthesized configuration', 'remove the user and password from the URL');
    } else if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) {
      c.add(at, value, 'has a path, query or fragment; Vault appends its own', 'give only the scheme, host and port');
    }
  }
  const region = endpoints.stsRegion;
  if (region !== undefined && !(typeof region === 'string' && (Token.isUnresolved(region) || /^[a-z]{2}(-[a-z]+)+-\d$/.test(region)))) {
    c.add(join(path, 'stsRegion'), region, 'is not an AWS region name', 'give a region such as us-east-1');
  }
}
