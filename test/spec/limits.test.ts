import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { synthesizeGateway } from '../../examples/bedrock-gateway/app';
import { exampleSpec } from '../../examples/bedrock-gateway/spec';
import { GatewaySpec, GatewaySpecValidator, TtlLimit, TtlLimits } from '../../src';

/**
 * One set of limits: a spec at every TTL limit validates, and both planes built from it, held to
 * every rule pack (cdk-nag, Control Tower, the NHI rule pack for CloudFormation and for Vault),
 * have no open finding and no acknowledged lifetime finding. Before the limits were one set, a
 * Vault token maximum the spec accepted (4 hours) failed the rule pack's 1-hour check.
 */
function atLimits(pick: (limit: TtlLimit) => { defaultSeconds: number; maxSeconds: number }): GatewaySpec {
  const ttls: Record<string, { defaultSeconds: number; maxSeconds: number }> = {};
  for (const limit of TtlLimits.all()) ttls[limit.kind] = pick(limit);
  return { ...exampleSpec, ttls };
}

const variants: Array<[string, GatewaySpec]> = [
  ['every lifetime at its ceiling', atLimits((l) => ({ defaultSeconds: l.ceilingSeconds, maxSeconds: l.ceilingSeconds }))],
  ['every lifetime at its floor', atLimits((l) => ({ defaultSeconds: l.floorSeconds, maxSeconds: l.floorSeconds }))],
];

describe('a spec at every limit builds both planes with no open finding', () => {
  let outdir: string;
  beforeAll(() => { outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'gateward-limits-')); });
  afterAll(() => { fs.rmSync(outdir, { recursive: true, force: true }); });

  test.each(variants)('%s', (name, spec) => {
    expect(GatewaySpecValidator.problems(spec)).toEqual([]);
    // Synthesis fails on any open finding of any rule pack in either plane.
    const summary = synthesizeGateway(spec, path.join(outdir, name.replace(/\W+/g, '-')));
    expect(summary.vaultFindings.filter((f) => !f.acknowledged)).toEqual([]);
    // And no lifetime finding is hidden behind an acknowledgement.
    const lifetimeRules = /TTL|LIFETIME|SESSION-DURATION|MaxSessionDuration/i;
    expect(summary.acknowledgements.filter((a) => lifetimeRules.test(a.rule))).toEqual([]);
    expect(summary.vaultFindings.filter((f) => lifetimeRules.test(f.ruleId))).toEqual([]);
  }, 600_000);
});
