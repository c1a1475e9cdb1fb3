import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as logs from 'aws-cdk-lib/aws-logs';
import { exampleSpec } from '../../examples/bedrock-gateway/spec';
import {
  AuditLockMode, AuditOptions, GatewayAwsPlane, GatewayAwsPlaneProps, GatewayBlueprint, GatewaySpec, GatewaySpecAdvisor,
  ProviderKeyRotation, VaultEdition, VaultServerIdentity,
} from '../../src';
import { AuditSinks } from '../../src/aws/audit-sinks';
import { synthesizeAwsPlane } from '../support/aws-example';
import { IamWorld } from '../support/iam-world';

// Settings both planes must agree on come from the spec; the plane's own props are checked for
// unknown keys and for a Vault identity the broker may safely trust.

const ACCOUNT = '111122223333';
const VAULT = VaultServerIdentity.fromRoleArn(`arn:aws:iam::${ACCOUNT}:role/acme-vault-server`);
const names = GatewayBlueprint.fromSpec(exampleSpec).naming;
const OIDC = `arn:aws:iam::${ACCOUNT}:oidc-provider/vault.acme.example/v1/identity/oidc/plugins`;
const federatedSpec: GatewaySpec = {
  ...exampleSpec,
  vault: { ...exampleSpec.vault!, edition: VaultEdition.ENTERPRISE, version: '1.17.0', workloadIdentityAudience: 'gateward-acme-llm' },
};

function planeWith(props: Partial<GatewayAwsPlaneProps> & Record<string, unknown>, spec: GatewaySpec = exampleSpec) {
  return synthesizeAwsPlane(spec, (stack, s) => new GatewayAwsPlane(stack, 'Gateway', {
    spec: s,
    vaultServer: VAULT,
    providerKeyRotation: { 'research/openai': ProviderKeyRotation.manual() },
    ...props,
  } as GatewayAwsPlaneProps));
}

describe('session tags come from the spec', () => {
  const { template } = planeWith({}, { ...exampleSpec, sessionTags: false });
  const world = new IamWorld(template.toJSON(), { account: ACCOUNT, region: 'us-east-1' });
  const target = 'acme-llm-support-models';

  test('with spec.sessionTags false the broker assumes a target untagged, and cannot tag', async () => {
    const request = { role: names.brokerRoleName, resource: world.roleArn(target), resourcePolicy: world.role(target).trust, context: { 'sts:ExternalId': names.externalId('support') } };
    expect(await world.decide({ ...request, action: 'sts:AssumeRole' })).toBe('Allowed');
    expect(await world.decide({ ...request, action: 'sts:TagSession' })).toBe('ImplicitlyDenied');
  });

  test('the plane prop is gone: setting it names the spec field', () => {
    expect(() => planeWith({ sessionTags: false })).toThrow(
      '  - props.sessionTags: moved to spec.sessionTags: both planes read it there, so they cannot disagree (got false). Fix: remove it here and set spec.sessionTags in the spec.');
  });
});

describe('unknown props are refused with a did-you-mean', () => {
  test('a misspelt prop', () => {
    expect(() => planeWith({ auditRetentionDay: 400 })).toThrow(
      '  - props.auditRetentionDay: is not a field of GatewayAwsPlaneProps (got "auditRetentionDay"). Fix: did you mean "auditRetentionDays"? Rename or remove it.');
  });

  test('a misspelt federation option', () => {
    expect(() => planeWith({
      vaultServer: VaultServerIdentity.fromWorkloadIdentityFederation({ oidcProviderArn: OIDC, subject: ['x'] } as any),
    }, federatedSpec)).toThrow('props.vaultServer.subject: is not a field of VaultWorkloadIdentityOptions (got "subject"). Fix: did you mean "subjects"?');
  });
});

describe('the Vault server identity the broker trusts', () => {
  test.each([
    ['*', 'is every principal'],
    [`arn:aws:iam::${ACCOUNT}:root`, 'is an account root'],
    [ACCOUNT, 'is not an IAM role ARN'],
    ['vault-server', 'is not an IAM role ARN'],
    [`arn:aws:sts::${ACCOUNT}:assumed-role/vault-server/i-0abc`, 'is a session, not the role'],
    [`arn:aws:iam::${ACCOUNT}:role/*`, 'is not an IAM role ARN'],
  ])('refuses %s', (arn, why) => {
    expect(() => planeWith({ vaultServer: VaultServerIdentity.fromRoleArn(arn) })).toThrow(
      new RegExp(`props\\.vaultServer\\.roleArn: the broker trusts exactly the Vault server's role, and this ${why.replace('*', '\\*')}`));
  });

  test('accepts an exact role ARN, with a path', () => {
    expect(() => planeWith({ vaultServer: VaultServerIdentity.fromRoleArn(`arn:aws:iam::${ACCOUNT}:role/platform/vault-server`) })).not.toThrow();
  });
});

describe('the workload-identity audience comes from the spec', () => {
  test('the broker trusts the spec\'s audience', () => {
    const { template } = planeWith({ vaultServer: VaultServerIdentity.fromWorkloadIdentityFederation({ oidcProviderArn: OIDC }) }, federatedSpec);
    template.hasResourceProperties('AWS::IAM::Role', {
      RoleName: names.brokerRoleName,
      AssumeRolePolicyDocument: {
        Statement: [{
          Action: 'sts:AssumeRoleWithWebIdentity',
          Principal: { Federated: OIDC },
          Condition: {
            StringEquals: { 'vault.acme.example/v1/identity/oidc/plugins:aud': 'gateward-acme-llm' },
            StringLike: { 'vault.acme.example/v1/identity/oidc/plugins:sub': ['plugin-identity:*:secret:*'] },
          },
        }],
      },
    });
  });

  test('federation without the spec\'s audience, or with another one, is refused', () => {
    expect(() => planeWith({ vaultServer: VaultServerIdentity.fromWorkloadIdentityFederation({ oidcProviderArn: OIDC, audience: 'aud-a' }) })).toThrow(
      'spec.vault.workloadIdentityAudience: the broker trusts Vault\'s plugin identity tokens, so both planes need their audience (got (missing)). Fix: set spec.vault.workloadIdentityAudience to "aud-a".');
    expect(() => planeWith({ vaultServer: VaultServerIdentity.fromWorkloadIdentityFederation({ oidcProviderArn: OIDC, audience: 'aud-a' }) }, federatedSpec)).toThrow(
      'props.vaultServer.audience: the Vault plane sends the spec\'s audience "gateward-acme-llm", so the broker would refuse every token (got "aud-a").');
  });

  test('a role identity with an audience in the spec is refused', () => {
    expect(() => planeWith({}, federatedSpec)).toThrow(/spec\.vault\.workloadIdentityAudience: the Vault plane then assumes the broker with plugin identity tokens, but the broker would trust a role/);
  });

  test('an OIDC provider ARN that is not one is refused', () => {
    expect(() => planeWith({ vaultServer: VaultServerIdentity.fromWorkloadIdentityFederation({ oidcProviderArn: '*' }) }, federatedSpec)).toThrow(
      /props\.vaultServer\.oidcProviderArn: the broker trusts tokens of exactly one OIDC provider, and this is not an IAM OIDC provider ARN/);
  });
});

describe('Bedrock model ids the bundled catalogue does not know', () => {
  const warningsOf = (spec: GatewaySpec) => {
    const { stack } = planeWith({}, spec);
    return Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp(GatewaySpecAdvisor.UNKNOWN_BEDROCK_MODEL));
  };

  test('warn on the plane, naming the spec field, with a stable id', () => {
    const typo = 'anthropic.claude-3-5-haiku-20241022-v9:0';
    const spec = { ...exampleSpec, tenants: [{ ...exampleSpec.tenants[0], foundationModels: [typo] }, exampleSpec.tenants[1]] };
    const warnings = warningsOf(spec);
    expect(warnings).toHaveLength(1);
    expect(warnings[0].id).toBe('/acme-llm-aws/Gateway');
    expect(warnings[0].entry.data).toMatch(new RegExp(`^spec\\.tenants\\[0\\]\\.foundationModels\\[0\\]: the foundation model "${typo.replace(/\./g, '\\.')}" is not in the bundled Bedrock model catalogue.*\\[ack: gateward:spec:unknown-bedrock-model\\]$`));
  });

  test('known models give none', () => {
    expect(warningsOf(exampleSpec)).toEqual([]);
  });
});

describe('one audit options struct for the plane and the audit sinks', () => {
  const options: AuditOptions = {
    auditRetentionDays: 400,
    auditLockMode: AuditLockMode.GOVERNANCE,
    decisionLogRetention: logs.RetentionDays.TWO_YEARS,
  };

  function auditSettings(template: Template) {
    const buckets = Object.values(template.findResources('AWS::S3::Bucket'))
      .map((b: any) => b.Properties.ObjectLockConfiguration?.Rule?.DefaultRetention)
      .filter((r) => r !== undefined);
    const decisionLog = Object.values(template.findResources('AWS::Logs::LogGroup'))
      .find((g: any) => g.Properties.LogGroupName === names.decisionLogGroupName) as any;
    return { buckets, decisionLogDays: decisionLog.Properties.RetentionInDays };
  }

  test('the same AuditOptions value configures both alike', () => {
    const plane = planeWith({ ...options }).template;
    const stack = new Stack(new App(), 'Audit', { env: { account: ACCOUNT, region: 'us-east-1' } });
    new AuditSinks(stack, 'Audit', {
      ...options,
      blueprint: GatewayBlueprint.fromSpec(exampleSpec),
      policyStoreArn: `arn:aws:verifiedpermissions::${ACCOUNT}:policy-store/PSEXAMPLE`,
    });
    const sinks = Template.fromStack(stack);
    const expected = { buckets: [{ Mode: 'GOVERNANCE', Days: 400 }, { Mode: 'GOVERNANCE', Days: 400 }], decisionLogDays: 731 };
    expect(auditSettings(plane)).toEqual(expected);
    expect(auditSettings(sinks)).toEqual(expected);
  });
});
