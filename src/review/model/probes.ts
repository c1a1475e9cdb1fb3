import { Actor, ADMINISTRATOR_ACCESS, AwsAccess, Outcome } from './aws-access';
import { ProbeResult } from './review-model';
import { ReviewWorld } from './review-world';
import { PolicyDocumentJson } from '../../nhi/private/cfn-template';
import { ResourcePolicyKind } from '../iam/policy-evaluator';

/**
 * The changes to the gateway that would widen access or hide it, each as the requests it takes:
 * rewriting a provider key's policies and then reading it, changing a router cell's code or
 * handing its role to another function, invoking a cell directly, making a gateway role trust
 * someone else, stopping or deleting the audit record, rewriting the API's resource policy or
 * the Cedar policies. Each is evaluated with and without the organization's guardrails.
 */
interface Probe {
  readonly action: string;
  readonly resource: string;
  readonly consequence: string;
  /** The requests the change takes; all must be allowed. */
  readonly steps: Array<(access: AwsAccess, actor: Actor) => Outcome>;
}

/** A rewritten policy: what an actor that may put a resource or key policy can make it say. */
function allowing(actor: Actor): PolicyDocumentJson {
  return { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: actor.arn }, Action: '*', Resource: '*' }] };
}

function probesOf(world: ReviewWorld): Probe[] {
  const probes: Probe[] = [];
  const inv = world.inventory;
  for (const secret of inv.secrets) {
    const key = world.access.keyOf(secret);
    const onSecret = (action: string) => (access: AwsAccess, actor: Actor) =>
      access.request(actor, action, secret.arn, { resourcePolicy: secret.policy, resourceTags: secret.tags });
    const readAfterRewrite = (access: AwsAccess, actor: Actor): Outcome => {
      const read = access.request(actor, 'secretsmanager:GetSecretValue', secret.arn, { resourcePolicy: allowing(actor), resourceTags: secret.tags });
      if (!read.allowed || !key) return read;
      return access.request(actor, 'kms:Decrypt', key.arn, {
        resourcePolicy: allowing(actor),
        kind: ResourcePolicyKind.KMS_KEY,
        resourceTags: key.tags,
        context: { 'kms:ViaService': `secretsmanager.${secret.region}.amazonaws.com`, 'kms:EncryptionContext:SecretARN': secret.arn, 'kms:ResourceAliases': key.aliases },
      });
    };
    probes.push({
      action: 'secretsmanager:GetSecretValue',
      resource: secret.arn,
      consequence: `reads ${secret.name} as its policies stand`,
      steps: [(access, actor) => access.readSecret(actor, secret)],
    });
    probes.push({
      action: 'secretsmanager:PutResourcePolicy',
      resource: secret.arn,
      consequence: `rewrites who may read ${secret.name}${key ? ' (and its key policy)' : ''}, then reads it`,
      steps: [
        onSecret('secretsmanager:PutResourcePolicy'),
        ...(key ? [(access: AwsAccess, actor: Actor) => access.request(actor, 'kms:PutKeyPolicy', key.arn, { resourcePolicy: key.policy, kind: ResourcePolicyKind.KMS_KEY, resourceTags: key.tags, context: { 'kms:ResourceAliases': key.aliases } })] : []),
        readAfterRewrite,
      ],
    });
    probes.push({
      action: 'secretsmanager:PutSecretValue',
      resource: secret.arn,
      consequence: `replaces the value of ${secret.name}: for a provider key, the endpoint it is sent to, so the tenant's prompts go there`,
      steps: [onSecret('secretsmanager:PutSecretValue')],
    });
  }
  for (const cell of world.cells) {
    const onFunction = (action: string) => (access: AwsAccess, actor: Actor) =>
      access.request(actor, action, cell.fn.arn, { resourcePolicy: cell.fn.permissionPolicy, resourceTags: cell.fn.tags });
    probes.push({ action: 'lambda:InvokeFunction', resource: cell.fn.arn, consequence: `is served by cell ${cell.tenant} as a workload of tenant ${cell.tenant} (a forged event)`, steps: [onFunction('lambda:InvokeFunction')] });
    probes.push({ action: 'lambda:UpdateFunctionCode', resource: cell.fn.arn, consequence: `runs its own code as cell ${cell.tenant}'s role: tenant ${cell.tenant}'s credentials`, steps: [onFunction('lambda:UpdateFunctionCode')] });
    if (cell.role) {
      const role = cell.role;
      probes.push({
        action: 'iam:PassRole',
        resource: role.arn,
        consequence: `runs a function of its own as ${role.name}: tenant ${cell.tenant}'s credentials`,
        steps: [
          (access, actor) => access.request(actor, 'iam:PassRole', role.arn, { resourceTags: role.tags, context: { 'iam:PassedToService': 'lambda.amazonaws.com' } }),
          (access, actor) => access.request(actor, 'lambda:CreateFunction', `arn:${cell.fn.arn.split(':')[1]}:lambda:${cell.fn.region}:${cell.fn.account}:function:a-function-of-its-own`),
        ],
      });
    }
  }
  const cellRoles = world.cells.map((c) => c.role).filter((r): r is NonNullable<typeof r> => !!r);
  const chainRoles = [...world.targets.map((t) => t.role), ...world.brokers, ...cellRoles];
  for (const role of [...new Set(chainRoles)]) {
    probes.push({
      action: 'iam:UpdateAssumeRolePolicy',
      resource: role.arn,
      consequence: `makes ${role.name} trust it, then holds its sessions`,
      steps: [(access, actor) => access.request(actor, 'iam:UpdateAssumeRolePolicy', role.arn, { resourceTags: role.tags })],
    });
  }
  for (const item of inv.audit) {
    const steps: Record<string, string[]> = {
      'trail': ['cloudtrail:StopLogging', 'cloudtrail:DeleteTrail'],
      'log group': ['logs:DeleteLogGroup'],
      'bucket': ['s3:DeleteBucketPolicy'],
    };
    for (const action of steps[item.kind]) {
      probes.push({
        action,
        resource: item.arn,
        consequence: `${action.split(':')[1].replace(/([A-Z])/g, ' $1').trim().toLowerCase()} of the audit ${item.kind} ${item.name}`,
        steps: [(access, actor) => access.request(actor, action, item.arn, { resourcePolicy: item.policy, resourceTags: item.tags })],
      });
    }
  }
  for (const key of inv.keys.filter((k) => !inv.secrets.some((s) => world.access.keyOf(s) === k))) {
    probes.push({
      action: 'kms:ScheduleKeyDeletion',
      resource: key.arn,
      consequence: `schedules the deletion of KMS key ${key.aliases[0] ?? key.location.constructPath}, which encrypts the audit record`,
      steps: [(access, actor) => access.request(actor, 'kms:ScheduleKeyDeletion', key.arn, { resourcePolicy: key.policy, kind: ResourcePolicyKind.KMS_KEY, resourceTags: key.tags, context: { 'kms:ResourceAliases': key.aliases } })],
    });
  }
  for (const api of inv.apis) {
    const arn = `arn:${api.partition}:apigateway:${api.region}::/restapis/${api.id}`;
    probes.push({ action: 'apigateway:PATCH', resource: arn, consequence: `rewrites the resource policy of API ${api.name}: it is admitted as a caller and served, though never handed a credential`, steps: [(access, actor) => access.request(actor, 'apigateway:PATCH', arn, { resourceAccount: api.account })] });
  }
  for (const store of inv.policyStores) {
    probes.push({ action: 'verifiedpermissions:UpdatePolicy', resource: store.arn, consequence: 'changes which workloads of each tenant may use which of that tenant\'s models, keys and tools', steps: [(access, actor) => access.request(actor, 'verifiedpermissions:UpdatePolicy', store.arn)] });
  }
  return probes;
}

/** True when an actor's own policies grant something of a probe's service, or are broad. */
function mayMatter(actor: Actor, probe: Probe): boolean {
  if (!actor.policies) return true;
  const service = probe.action.split(':')[0];
  return actor.policies.some((p) => p.Statement.some((s) => s.Effect === 'Allow' && (s.NotAction !== undefined
    || [s.Action ?? []].flat().some((a) => a === '*' || String(a).toLowerCase().startsWith(`${service}:`) || String(a).toLowerCase() === `${service}:*`))));
}

/**
 * What each change would give an actor, with and without the guardrails. An actor whose own
 * policies the output does not hold is judged as if they allowed everything: the answer is then
 * what the gateway's own policies and the guardrails still stop.
 */
export function probeActor(world: ReviewWorld, actor: Actor): ProbeResult[] {
  const judged: Actor = actor.policies ? actor : { ...actor, policies: [ADMINISTRATOR_ACCESS] };
  const results: ProbeResult[] = [];
  for (const probe of probesOf(world)) {
    if (!mayMatter(judged, probe)) continue;
    const run = (access: AwsAccess) => {
      const outcomes: Outcome[] = [];
      for (const step of probe.steps) {
        const outcome = step(access, judged);
        outcomes.push(outcome);
        if (!outcome.allowed) break;
      }
      return outcomes;
    };
    const without = run(world.access);
    const allowedWithout = without.every((o) => o.allowed);
    if (!allowedWithout && !world.accessWithGuardrails.guardrailsGiven) {
      results.push({ action: probe.action, resource: probe.resource, consequence: probe.consequence, withoutGuardrails: 'denied', withGuardrails: 'not given', deniedBy: without[without.length - 1].deciding });
      continue;
    }
    const withG = world.accessWithGuardrails.guardrailsGiven ? run(world.accessWithGuardrails) : undefined;
    const allowedWith = withG ? withG.every((o) => o.allowed) : undefined;
    const last = (list: Outcome[]) => list[list.length - 1];
    results.push({
      action: probe.action,
      resource: probe.resource,
      consequence: probe.consequence,
      withoutGuardrails: allowedWithout ? 'allowed' : 'denied',
      withGuardrails: allowedWith === undefined ? 'not given' : allowedWith ? 'allowed' : 'denied',
      deniedBy: [...new Set([...(!allowedWithout ? last(without).deciding : []), ...(withG && !allowedWith ? last(withG).deciding : [])])],
    });
  }
  return results;
}
