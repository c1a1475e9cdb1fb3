import { Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { DEFAULT_PROVIDER_ENDPOINTS } from '../../contract/router-routes';
import { ProblemCollector } from '../../problems/problem-collector';
import { GatewayBlueprint } from '../../spec';
import type { GatewayApiOptions } from '../gateway-api';
import { RouterCodeSigning } from '../router-code-signing';
import type { RouterOptions } from '../router-function';

/** What the router function's prop validation looks at: its options, and the blueprint when known. */
type RouterInputs = RouterOptions & { readonly blueprint?: GatewayBlueprint };

const DEFAULT_SUBNETS: ec2.SubnetSelection = { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS };

function wholeNumber(c: ProblemCollector, field: string, value: number | undefined, min: number, max: number, what: string): void {
  if (value !== undefined && !Token.isUnresolved(value) && (!Number.isInteger(value) || value < min || value > max)) {
    c.add(`props.${field}`, value, `${what} is a whole number from ${min} to ${max}`, `set a whole number from ${min} to ${max}`);
  }
}

/**
 * Problems with the router function's props. `specPath` is where the spec is reached from the
 * construct being built, for messages.
 */
export function routerProblems(c: ProblemCollector, props: RouterInputs, specPath: string): void {
  const blueprint = props.blueprint;
  if (blueprint && !blueprint.vault) {
    c.add(`${specPath}.vault`, undefined, 'the router logs in to Vault, so the spec must name the Vault server',
      'add spec.vault: { address: "https://vault.example.com:8200", ... }');
  }
  if (blueprint) {
    for (const [field, value] of [['aws.account', blueprint.account], ['aws.region', blueprint.region]] as const) {
      if (Token.isUnresolved(value)) {
        c.add(`${specPath}.${field}`, value, 'the router\'s routing table is a file written at synth time, so names must be literals',
          `give the literal ${field.split('.').pop()}`);
      }
    }
  }
  if (props.vpc) {
    try {
      const selected = props.vpc.selectSubnets(props.vpcSubnets ?? DEFAULT_SUBNETS).subnetIds;
      const publicIds = new Set(props.vpc.publicSubnets.map((s) => s.subnetId));
      const exposed = selected.filter((id) => publicIds.has(id));
      if (exposed.length > 0) {
        c.add('props.vpcSubnets', exposed, 'the router must run in private subnets, and these are public', 'select PRIVATE_WITH_EGRESS or PRIVATE_ISOLATED subnets');
      }
    } catch {
      c.add('props.vpcSubnets', props.vpcSubnets?.subnetType ?? ec2.SubnetType.PRIVATE_WITH_EGRESS,
        'the VPC has no subnets of this selection for the router', 'pass vpcSubnets that select the VPC\'s private subnets, e.g. { subnetType: ec2.SubnetType.PRIVATE_ISOLATED }');
    }
  }
  wholeNumber(c, 'reservedConcurrency', props.reservedConcurrency, 1, 1000, 'reserved concurrency');
  wholeNumber(c, 'memorySize', props.memorySize, 128, 10240, 'memory (MiB)');
  if (props.codeSigning !== undefined && !(props.codeSigning instanceof RouterCodeSigning)) {
    c.add('props.codeSigning', props.codeSigning, 'is not a RouterCodeSigning', 'pass RouterCodeSigning.enforce([<signing profile>]) or RouterCodeSigning.warn([...])');
  } else {
    props.codeSigning?._problems(c, 'props.codeSigning');
  }
  if (blueprint) {
    // The router calls a provider key's provider at its configured endpoint; without one, every
    // call with the key would fail.
    const configured = { ...DEFAULT_PROVIDER_ENDPOINTS, ...(props.providerEndpoints ?? {}) };
    blueprint.spec.tenants.forEach((tenant, i) => (tenant.providerKeys ?? []).forEach((key, j) => {
      if (!(key.provider in configured)) {
        c.add(`${specPath}.tenants[${i}].providerKeys[${j}].provider`, key.provider, `the router has no endpoint for provider "${key.provider}" (it knows ${Object.keys(configured).map((p) => `"${p}"`).join(', ')}), so every call with key "${key.id}" would fail`,
          `add providerEndpoints: { "${key.provider}": "https://<its OpenAI-compatible API base URL>" } to the gateway's props`);
      }
    }));
  }
  for (const [provider, url] of Object.entries(props.providerEndpoints ?? {})) {
    if (!/^https:\/\/[^\s/]+/.test(url)) {
      c.add(`props.providerEndpoints["${provider}"]`, url, 'the router sends provider keys to this endpoint, so it must be HTTPS', 'use an https:// base URL');
    }
  }
}

/** Problems with the API's props. */
export function apiProblems(c: ProblemCollector, props: GatewayApiOptions): void {
  wholeNumber(c, 'throttlingRateLimit', props.throttlingRateLimit, 1, 10000, 'the steady request rate');
  wholeNumber(c, 'throttlingBurstLimit', props.throttlingBurstLimit, 1, 5000, 'the burst limit');
  wholeNumber(c, 'wafRateLimit', props.wafRateLimit, 10, 2000000000, 'the WAF rate limit');
}
