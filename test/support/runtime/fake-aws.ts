import { performance } from 'perf_hooks';
import * as cedar from '@cedar-policy/cedar-wasm/nodejs';
import { foundationModelArn, inferenceProfileArn } from '../../../src/aws/private/bedrock-arns';
import { cedarPolicyLabel } from '../../../src/review/model/aws-inventory';
import { splitInferenceProfileId } from '../../../src/spec/private/aws-facts';
import { IamWorld } from '../iam-world';
import { CredentialRegistry } from './fake-vault';
import { Answer, Holds, LoopbackOptions, LoopbackServer, Received } from './loopback';
import { verifySigV4 } from './sigv4';
import { cedarPolicySetOf, CedarLink, CedarStatement } from '../../../src/spec/private/cedar-policy-set';

type AttributeValue = Record<string, any>;

/** One call a fake AWS service accepted. */
export interface AwsCall {
  readonly service: 'verifiedpermissions' | 'bedrock' | 'secretsmanager';
  readonly operation: string;
  /** The role whose session signed the call. */
  readonly roleArn: string;
  readonly detail: string;
  /** The guardrail a Converse call asked for (`<identifier>:<version>`). */
  readonly guardrail?: string;
}

/**
 * The AWS APIs the router calls, on one local server, each judging what a real service would:
 *
 * - Verified Permissions `IsAuthorized`, answered by the Cedar engine with the schema, the
 *   policies, the policy templates and the template-linked policies the AWS plane deploys to the
 *   policy store (read from its templates). Verified Permissions is a managed service with no
 *   local engine: this stands in for it, evaluating a template-linked policy the way it does, as
 *   the template with `?principal` and `?resource` filled by the link's entities (Cedar links
 *   them itself);
 * - Bedrock `Converse`, and Secrets Manager `GetSecretValue`, which accept a call only if its
 *   signature is valid and the signing role may make it, as the IAM simulator evaluates the
 *   template's policies.
 */
export class FakeAws {
  public static async start(
    world: IamWorld, registry: CredentialRegistry, secretValues: Record<string, string>, holds = new Holds(), server: LoopbackOptions = {},
  ): Promise<FakeAws> {
    const aws = new FakeAws(world, registry, secretValues, holds);
    aws.server = await LoopbackServer.start((r) => aws.answer(r), undefined, server);
    return aws;
  }

  /** Every call accepted, in order. */
  public readonly calls: AwsCall[] = [];
  /** How long each IsAuthorized call took inside this server (signature check and Cedar), in ms. */
  public readonly policyStoreTimesMs: number[] = [];
  /** Set to answer Verified Permissions with this status, as an unavailable service would. */
  public policyStoreFailure?: number;
  /** How long each service holds its answers, in ms, as a slow service would (`HOLD_UNTIL_STOPPED`: never answered). */
  public readonly holdMs: Partial<Record<AwsCall['service'], number>> = {};

  private server!: LoopbackServer;
  private readonly decisions = new Map<string, Promise<string>>();
  private readonly schema: unknown;
  private readonly policies: cedar.PolicySet;
  public readonly policyStoreId: string;

  private constructor(
    private readonly world: IamWorld,
    private readonly registry: CredentialRegistry,
    private readonly secretValues: Record<string, string>,
    private readonly holds: Holds,
  ) {
    const [store] = world.model.ofType('AWS::VerifiedPermissions::PolicyStore');
    this.policyStoreId = String(world.model.resolve({ Ref: store[0] }));
    this.schema = JSON.parse((store[1].Properties as any).Schema.CedarJson);
    this.policies = policySetOf(world);
  }

  public get url(): string {
    return this.server.url;
  }

  public async stop(): Promise<void> {
    await this.server.stop();
  }

  /** IAM's decision, remembered: the same request against the same policies always gets the same answer. */
  private decide(request: Parameters<IamWorld['decide']>[0]): Promise<string> {
    const key = JSON.stringify(request);
    if (!this.decisions.has(key)) this.decisions.set(key, this.world.decide(request));
    return this.decisions.get(key)!;
  }

  private async answer(request: Received): Promise<Answer> {
    let signer;
    const verifyStarted = performance.now();
    try {
      signer = await verifySigV4(request, this.registry.lookup);
    } catch (error) {
      return { status: 403, body: { __type: 'InvalidSignatureException', message: (error as Error).message } };
    }
    const signedIn = performance.now() - verifyStarted;
    const role = signer.credentials.roleArn;
    const roleName = role.split('/').pop()!;
    const target = request.headers['x-amz-target'] ?? '';
    const body = JSON.parse(request.body.toString('utf-8') || '{}');
    const service: AwsCall['service'] = target.startsWith('VerifiedPermissions.') ? 'verifiedpermissions'
      : target.startsWith('secretsmanager.') ? 'secretsmanager' : 'bedrock';
    await this.holds.hold(service, this.holdMs[service] ?? 0);

    if (target === 'VerifiedPermissions.IsAuthorized') {
      const started = performance.now();
      try {
        return await this.answerIsAuthorized(body, role, roleName);
      } finally {
        this.policyStoreTimesMs.push(performance.now() - started + signedIn);
      }
    }
    return this.answerOthers(request, signer, role, roleName, target, body);
  }

  private async answerIsAuthorized(body: any, role: string, roleName: string): Promise<Answer> {
    if (this.policyStoreFailure) return { status: this.policyStoreFailure, body: { __type: 'InternalServerException', message: 'unavailable' } };
    const storeArn = `arn:${this.world.partition}:verifiedpermissions::${this.world.account}:policy-store/${body.policyStoreId}`;
    const allowed = body.policyStoreId === this.policyStoreId
      && await this.decide({ role: roleName, action: 'verifiedpermissions:IsAuthorized', resource: storeArn }) === 'Allowed';
    if (!allowed) return { status: 403, body: { __type: 'AccessDeniedException', message: `${role} may not ask ${storeArn}` } };
    return { status: 200, body: this.isAuthorized(body, role) };
  }

  private async answerOthers(
    request: Received, signer: { region: string }, role: string, roleName: string, target: string, body: any,
  ): Promise<Answer> {
    if (target === 'secretsmanager.GetSecretValue') {
      const secretArn = this.world.secretArn(body.SecretId);
      const decision = await this.decide({
        role: roleName,
        action: 'secretsmanager:GetSecretValue',
        resource: secretArn,
        resourcePolicy: this.world.policyOf('AWS::SecretsManager::ResourcePolicy', 'ResourcePolicy', () => true),
      });
      if (decision !== 'Allowed' || !(body.SecretId in this.secretValues)) {
        return { status: 400, body: { __type: 'AccessDeniedException', message: `${role} may not read ${body.SecretId}` } };
      }
      this.calls.push({ service: 'secretsmanager', operation: 'GetSecretValue', roleArn: role, detail: body.SecretId });
      return { status: 200, body: { ARN: secretArn, Name: body.SecretId, SecretString: this.secretValues[body.SecretId], VersionStages: ['AWSCURRENT'] } };
    }

    const converse = /^\/model\/([^/]+)\/converse$/.exec(request.path);
    if (converse && request.method === 'POST') {
      const modelId = decodeURIComponent(converse[1]);
      const { partition, account } = this.world;
      const modelArn = splitInferenceProfileId(modelId)
        ? inferenceProfileArn(partition, signer.region, account, modelId)
        : foundationModelArn(partition, signer.region, modelId);
      const guardrail = body.guardrailConfig
        ? `${body.guardrailConfig.guardrailIdentifier}:${body.guardrailConfig.guardrailVersion}` : undefined;
      // Bedrock passes the guardrail to InvokeModel's condition keys, and applying it needs its own grant.
      const guardrailArn = guardrail && !guardrail.startsWith('arn:')
        ? `arn:${partition}:bedrock:${signer.region}:${account}:guardrail/${guardrail}` : guardrail;
      const context = { 'aws:RequestedRegion': signer.region, ...(guardrailArn ? { 'bedrock:GuardrailIdentifier': guardrailArn } : {}) };
      const denied = async (action: string, resource: string) => await this.decide({ role: roleName, action, resource, context }) !== 'Allowed';
      const refusal = await denied('bedrock:InvokeModel', modelArn) ? ['bedrock:InvokeModel', modelArn]
        : guardrailArn && await denied('bedrock:ApplyGuardrail', guardrailArn.replace(/:[^:/]+$/, '')) ? ['bedrock:ApplyGuardrail', guardrailArn] : undefined;
      if (refusal) {
        return { status: 403, body: { message: `User: ${role} is not authorized to perform: ${refusal[0]} on resource: ${refusal[1]}` }, headers: { 'x-amzn-errortype': 'AccessDeniedException' } };
      }
      this.calls.push({ service: 'bedrock', operation: 'Converse', roleArn: role, detail: modelId, ...(guardrail ? { guardrail } : {}) });
      const prompt = JSON.stringify(body.messages?.at(-1)?.content?.[0]?.text ?? '');
      return {
        status: 200,
        body: {
          output: { message: { role: 'assistant', content: [{ text: `${modelId} answers ${prompt}` }] } },
          stopReason: 'end_turn',
          usage: { inputTokens: 12, outputTokens: 7, totalTokens: 19 },
          metrics: { latencyMs: 5 },
          ...(body.guardrailConfig?.trace === 'enabled' ? { trace: { guardrail: { inputAssessment: { [guardrail!]: {} } } } } : {}),
        },
      };
    }
    return { status: 404, body: { message: `no fake for ${request.method} ${request.path} ${target}` } };
  }

  private isAuthorized(body: any, role: string): unknown {
    const uid = (e: { entityType: string; entityId: string }) => ({ type: e.entityType, id: e.entityId });
    const value = (v: AttributeValue): unknown => {
      if ('entityIdentifier' in v) return { __entity: uid(v.entityIdentifier) };
      if ('string' in v) return v.string;
      if ('long' in v) return v.long;
      if ('boolean' in v) return v.boolean;
      if ('set' in v) return (v.set as AttributeValue[]).map(value);
      if ('record' in v) return Object.fromEntries(Object.entries(v.record as Record<string, AttributeValue>).map(([k, x]) => [k, value(x)]));
      throw new Error(`attribute type ${Object.keys(v)} is not faked`);
    };
    const record = (map: Record<string, AttributeValue> = {}) => Object.fromEntries(Object.entries(map).map(([k, v]) => [k, value(v)]));
    const entities = (body.entities?.entityList ?? []).map((e: any) => ({
      uid: uid(e.identifier), attrs: record(e.attributes), parents: (e.parents ?? []).map(uid),
    }));
    const answer = cedar.isAuthorized({
      principal: uid(body.principal),
      action: { type: body.action.actionType, id: body.action.actionId },
      resource: uid(body.resource),
      context: record(body.context?.contextMap) as cedar.Context,
      schema: this.schema as cedar.Schema,
      validateRequest: true,
      policies: this.policies,
      entities,
    });
    if (answer.type !== 'success') throw new Error(`cedar: ${JSON.stringify(answer.errors)}`);
    const decision = answer.response.decision === 'allow' ? 'ALLOW' : 'DENY';
    this.calls.push({ service: 'verifiedpermissions', operation: 'IsAuthorized', roleArn: role, detail: `${body.action.actionId} ${body.resource.entityId} ${decision}` });
    return {
      decision,
      determiningPolicies: [...answer.response.diagnostics.reason].map((policyId) => ({ policyId })),
      errors: answer.response.diagnostics.errors.map((e) => ({ errorDescription: JSON.stringify(e) })),
    };
  }
}

/**
 * The policy store's policy set as the templates define it: static policies, policy templates and
 * template-linked policies. Real policy ids are generated; the policy's construct path from its
 * `Policy-` part (`permit-support-invoke-model/<model>`) stands in for them, as the access review
 * names them.
 */
function policySetOf(world: IamWorld): cedar.PolicySet {
  const templates = world.model.ofType('AWS::VerifiedPermissions::PolicyTemplate')
    .map(([logicalId, r]) => ({ id: logicalId, statement: String(world.model.resolve((r.Properties as any).Statement)) }));
  const known = new Set(templates.map((t) => t.id));
  const policies: CedarStatement[] = [];
  const links: CedarLink[] = [];
  const uid = (e: any) => (e ? { type: String(world.model.resolve(e.EntityType)), id: String(world.model.resolve(e.EntityId)) } : undefined);
  for (const [logicalId, r] of world.model.ofType('AWS::VerifiedPermissions::Policy')) {
    const id = cedarPolicyLabel(world.model.pathOf(logicalId)).id;
    const definition = (r.Properties as any).Definition;
    if (definition.Static) {
      policies.push({ id, statement: String(world.model.resolve(definition.Static.Statement)) });
      continue;
    }
    const linked = definition.TemplateLinked;
    const template = world.model.targetOf(linked.PolicyTemplateId);
    if (!template || !known.has(template.logicalId)) throw new Error(`policy ${logicalId} links a template the templates do not define`);
    links.push({ id, templateId: template.logicalId, principal: uid(linked.Principal), resource: uid(linked.Resource) });
  }
  return cedarPolicySetOf(policies, templates, links);
}
