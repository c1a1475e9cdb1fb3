import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { lowerCaseHeaders } from './loopback';

/** AWS credentials a fake service knows, with the identity they belong to. */
export interface KnownCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  /** The role the credentials are a session of, e.g. `arn:aws:iam::111122223333:role/acme-llm-router`. */
  readonly roleArn: string;
}

/** Who signed a request, once its signature has been recomputed and matched. */
export interface VerifiedSigner {
  readonly credentials: KnownCredentials;
  readonly service: string;
  readonly region: string;
}

/** The ARN a session of a role signs as: `arn:aws:sts::<account>:assumed-role/<name>/<session>`. */
export function sessionArn(roleArn: string, session: string): string {
  const [, partition, , , account, resource] = roleArn.split(':');
  return `arn:${partition}:sts::${account}:assumed-role/${resource.split('/').pop()}/${session}`;
}

const AUTH = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/;

/**
 * Checks a SigV4 signature the way AWS does: recompute it from the request and the signer's
 * secret, and compare. Throws with the reason when it does not match.
 */
export async function verifySigV4(
  request: { method: string; path: string; headers: Record<string, string>; body: Buffer | string },
  lookup: (accessKeyId: string) => KnownCredentials | undefined,
): Promise<VerifiedSigner> {
  const headers = lowerCaseHeaders(request.headers);
  const match = AUTH.exec(headers.authorization ?? '');
  if (!match) throw new Error('unsigned request');
  const [, accessKeyId, , region, service, signedHeaderList] = match;
  const credentials = lookup(accessKeyId);
  if (!credentials) throw new Error(`unknown access key ${accessKeyId}`);
  if (credentials.sessionToken && headers['x-amz-security-token'] !== credentials.sessionToken) throw new Error('wrong session token');
  const signed = signedHeaderList.split(';');
  const [pathname, search] = request.path.split('?');
  const query: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(search ?? '')) query[k] = v;
  const date = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(headers['x-amz-date'] ?? '');
  if (!date) throw new Error('no x-amz-date');
  const signingDate = new Date(Date.UTC(+date[1], +date[2] - 1, +date[3], +date[4], +date[5], +date[6]));
  const recomputed = await new SignatureV4({ credentials, region, service, sha256: Sha256 }).sign(new HttpRequest({
    method: request.method,
    protocol: 'https:',
    hostname: headers.host ?? '',
    path: pathname,
    query,
    headers: Object.fromEntries(signed.map((h) => [h, headers[h] ?? ''])),
    body: request.body,
  }), { signingDate });
  if (recomputed.headers.authorization !== headers.authorization) throw new Error('signature does not match');
  return { credentials, service, region };
}
