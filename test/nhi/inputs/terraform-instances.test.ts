import * as path from 'path';
import { TerraformResolver } from '../../../src/nhi/inputs/terraform-expressions';
import { main } from '../../../src/review/cli';

const FIXTURE = path.join(__dirname, 'fixtures', 'tf-instances');

interface Finding { ruleId: string; location: string; message: string }

describe('count and for_each blocks are read as their instances', () => {
  let findings: Finding[];
  let checked: string;
  beforeAll(async () => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(['check', FIXTURE, '--json', '-'], { out: (t) => out.push(t), err: (t) => err.push(t) });
    expect(code).toBe(1);
    findings = JSON.parse(out.join('\n')).findings;
    checked = err.join('\n');
  });
  const at = (ruleId: string) => findings.filter((f) => f.ruleId === ruleId).map((f) => f.location).sort();

  test('for_each over a literal map: one instance per key, each.key and each.value resolved (optional() defaults included)', () => {
    // web takes the type's default ttl (900); ci sets 86400.
    expect(at('NHI-VAULT-TOKEN-TTL')).toContain('vault_approle_auth_backend_role.app["ci"]');
    expect(at('NHI-VAULT-TOKEN-TTL')).not.toContain('vault_approle_auth_backend_role.app["web"]');
    expect(findings.find((f) => f.location === 'vault_approle_auth_backend_role.app["ci"]')?.message).toContain('token_ttl is 86400');
  });

  test('for_each over a literal set and a data source\'s instances; dynamic blocks become the blocks they generate', () => {
    // vault_policy_document renders its dynamic rule blocks; the policy for ci-deploy can create tokens, web-read cannot.
    expect(at('NHI-VAULT-POLICY-FORBIDDEN')).toEqual(['vault_policy.p["ci-deploy"]']);
    expect(findings.find((f) => f.ruleId === 'NHI-VAULT-POLICY-FORBIDDEN')?.message).toContain('attached to vault_approle_auth_backend_role.app["ci"]');
  });

  test('count reading count.index gives each instance; count = 0 is judged as written, once', () => {
    expect(at('NHI-VAULT-JWT-NO-AUDIENCE')).toEqual(['vault_jwt_auth_backend_role.ci[1]']);
    expect(at('NHI-VAULT-TOKEN-RESOURCE')).toEqual(['vault_token.bootstrap[0]']);
  });

  test('for_each over a value the files do not hold: one instance, named by its block, its values unresolved', () => {
    const team = findings.find((f) => f.location === 'vault_kubernetes_auth_backend_role.team');
    expect(team?.message).toBe('token_ttl is unresolved (${each.value.ttl}): it must be at most 3600 s');
  });

  test('files listed with fileset() and read with yamldecode() drive for_each', () => {
    expect(at('NHI-VAULT-CERT-ROLE-BROAD')).toEqual(['vault_pki_secret_backend_role.r["anyhost"]']);
  });

  test('a local module with for_each is read once per instance, addressed module.x["key"]', () => {
    expect(at('NHI-VAULT-IAM-USER')).toEqual([
      'module.tenant["a"].vault_aws_secret_backend_role.admin', 'module.tenant["b"].vault_aws_secret_backend_role.admin',
    ]);
    expect(checked).toContain('2 local modules read (module.tenant["a"]: 1 file, module.tenant["b"]: 1 file)');
  });

  test('a registry module is named as not fetched, and what depends on it is unresolved, not missing', () => {
    expect(checked).toContain('module.registry ("hashicorp/database-settings/vault": not a local path; registry and git modules are not fetched)');
    const db = findings.find((f) => f.ruleId === 'NHI-VAULT-DB-ROLE-TTL');
    expect(db?.message).toBe('default_ttl is unresolved (${module.registry.ttl}): it must be at most 86400 s where it is set');
  });

  test('AWS: for_each over another resource\'s instances reaches the instance it names', () => {
    // aws_iam_role_policy.svc["writer"] attaches s3:* to aws_iam_role.svc["writer"], and nothing to the reader.
    expect(at('NHI-IAM-WILDCARD-ACTION')).toEqual(['aws_iam_role.svc["writer"]']);
  });
});

test('two blocks with for_each over each other stop at one representative instance instead of looping', () => {
  const a: Record<string, unknown> = { for_each: '${aws_iam_role.b}', name: '${each.key}' };
  const b: Record<string, unknown> = { for_each: '${aws_iam_role.a}', name: '${each.key}' };
  const resolver = new TerraformResolver({
    directory: FIXTURE, variables: {}, declared: [], locals: {}, dataSources: {}, resources: { aws_iam_role: { a, b } },
  });
  expect(resolver.instancesOf(a)?.map((i) => i.suffix)).toEqual(['']);
});
