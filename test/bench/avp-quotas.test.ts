import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { readAssembly } from '../../bench/support/assembly';
import { gatewayApp } from '../../bench/support/gateway-app';
import { cedarSizeTotals, measureQuotas, referencedResource, resourceScope } from '../../bench/support/quotas';
import { scaleSpec } from '../support/scale-spec';

// The Verified Permissions size totals the benchmark prints, measured on gateways of 8 and 24
// tenants synthesized as the benchmark does: none grows with tenants but by one short link per
// tenant on a resource they share.

const perResource = (tenants: number) => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `gateward-avp-quota-${tenants}-`));
  gatewayApp(scaleSpec(tenants), outdir, { cfnValidation: false, rulePacks: [], assetStaging: false }).synth();
  const assembly = readAssembly(outdir);
  const figure = measureQuotas(assembly).find((q) => q.quota === 'policies per resource, in total')!;
  const totals = [...cedarSizeTotals(assembly)].map(([where, total]) => ({ resource: where.replace(/^\S+ /, ''), ...total }));
  fs.rmSync(outdir, { recursive: true, force: true });
  return { figure, totals };
};

test('a policy\'s scope references the resource after == or in, else the unspecified one', () => {
  expect(referencedResource(resourceScope('permit (principal, action, resource == Gateward::Model::"m");'))).toBe('resource Gateward::Model::"m"');
  expect(referencedResource(resourceScope('permit (principal, action, resource in Gateward::Tenant::"t");'))).toBe('resource Gateward::Tenant::"t"');
  expect(referencedResource(resourceScope('forbid (principal, action, resource)\nunless { principal in context.tenant };'))).toBe('resource (unspecified)');
});

describe('policies per resource, in total', () => {
  const small = perResource(8);
  const large = perResource(24);
  const unspecified = (m: typeof small) => m.totals.find((t) => t.resource === 'resource (unspecified)');

  test('the worst total is a model every tenant shares: one link of about 90 bytes per tenant', () => {
    expect(small.figure.worst!.where).toMatch(/resource Gateward::Model::".*" \(8 policies\)$/);
    expect(large.figure.worst!.where).toMatch(/resource Gateward::Model::".*" \(24 policies\)$/);
    const perTenant = (large.figure.worst!.value - small.figure.worst!.value) / 16;
    expect(perTenant).toBeLessThan(100);
    // At 1,000 tenants such a total is under 100,000 bytes as counted, and under the quota even
    // with 100 bytes of (unpublished) overhead per link.
    expect(1_000 * perTenant).toBeLessThan(100_000);
    expect(1_000 * (perTenant + 100)).toBeLessThan(200_000);
    expect(large.figure.overCount).toBe(0);
  });

  test('the unspecified total holds the gateway-wide forbids alone, whatever the number of tenants', () => {
    expect(unspecified(small)).toEqual(unspecified(large));
    expect(unspecified(large)!.policies).toBe(2);
  });

  test('each tenant\'s dataset and key has a total of its own: one link', () => {
    const owned = large.totals.filter((t) => /Gateward::(Dataset|ProviderKey)::/.test(t.resource));
    expect(owned).toHaveLength(24 * 2);
    for (const t of owned) expect(t.policies).toBe(1);
  });
});
