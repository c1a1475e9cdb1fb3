import { asList, LogicalIdRenderer, StatementJson, TemplateModel } from './cfn-template';
import { expandAction, globToRegExp } from './iam-catalog';
// The metric gateward's key-age check reports for each watched secret, with exactly these dimensions.
import { KEY_AGE_DIMENSIONS, KEY_AGE_METRIC } from '../../spec/key-rotation';

// The alarm's dimensions, in the order the key-age check writes them.
const [GATEWAY_DIMENSION, SECRET_DIMENSION] = KEY_AGE_DIMENSIONS;
const LIST_VERSIONS = 'secretsmanager:listsecretversionids';
const LIST_PARAMETERS = 'ssm:getparametersbypath';

/** A manual rotation the template proves is watched: the alarm fires once the key is older than `days`. */
export interface WatchedRotation {
  readonly days: number;
  readonly alarmLogicalId: string;
  readonly checkLogicalId: string;
}

interface KeyAgeCheck {
  /** The template the check function is in (the secret's own, or a linked stack's). */
  readonly model: TemplateModel;
  readonly logicalId: string;
  readonly namespace: string;
  readonly gateway: string;
  readonly secretName: string;
  /** The SSM path the check reads its list from, when it does. */
  readonly watchPath?: string;
}

const LINKED = new WeakMap<TemplateModel, TemplateModel[]>();

/**
 * A template model whose references render as logical ids, to tell exactly what a value points at.
 * The templates the model is linked with come along, each rendered the same way.
 */
export function logicalIdModel(model: TemplateModel): TemplateModel {
  const byId = new TemplateModel({ Resources: model.resources }, new LogicalIdRenderer());
  LINKED.set(byId, model.linkedModels().map((m) => new TemplateModel({ Resources: m.resources }, new LogicalIdRenderer())));
  return byId;
}

/**
 * The watched manual rotation of one secret, read from the synthesized template alone, or
 * undefined when nothing proves one. Every link must be in the template:
 *
 * - a function lists the secret (by reference, with its literal name) in its `SECRETS`, or reads
 *   its list from the SSM parameters under its `WATCH_PATH` and one of them, next to the secret,
 *   names it (by reference, with its literal name), and the function names the metric namespace
 *   and gateway it reports under; the function may be in another stack of the same input;
 * - an enabled schedule invokes that function;
 * - the function's role may call `secretsmanager:ListSecretVersionIds` on the secret, by reference,
 *   by a name pattern that covers it, or on `*` (or the check could not read the key's age), and
 *   `ssm:GetParametersByPath` on its watch path when it reads one;
 * - an alarm on that function's age metric for this secret fires above a threshold, treats
 *   missing data as breaching (a check that stops must not look like a fresh key), and notifies
 *   someone.
 */
export function watchedRotationOf(model: TemplateModel, secretId: string): WatchedRotation | undefined {
  const secretName = model.resources[secretId]?.Properties?.Name;
  if (typeof secretName !== 'string') return undefined;
  const checks = keyAgeChecksOf(model, secretId, secretName)
    .filter((check) => isScheduled(check.model, check.logicalId)
      && mayListVersions(check.model, check, check.model === model ? secretId : undefined));
  const watches: WatchedRotation[] = [];
  for (const check of checks) {
    for (const [alarmLogicalId, alarm] of model.ofType('AWS::CloudWatch::Alarm')) {
      const days = alarmThreshold(model, alarm.Properties ?? {}, check);
      if (days !== undefined) watches.push({ days, alarmLogicalId, checkLogicalId: check.logicalId });
    }
  }
  return watches.sort((a, b) => a.days - b.days)[0];
}

function keyAgeChecksOf(model: TemplateModel, secretId: string, secretName: string): KeyAgeCheck[] {
  const checks: KeyAgeCheck[] = [];
  const reference = new LogicalIdRenderer().ref(secretId);
  const names = (entry: unknown) => !!entry && typeof entry === 'object'
    && (entry as Record<string, unknown>).arn === reference && (entry as Record<string, unknown>).name === secretName;
  // The watch entries next to the secret: SSM parameters naming it.
  const entries = model.ofType('AWS::SSM::Parameter')
    .filter(([, parameter]) => names(parseJson(model.resolve(parameter.Properties?.Value))))
    .map(([, parameter]) => model.resolve(parameter.Properties?.Name))
    .filter((name): name is string => typeof name === 'string');
  for (const candidate of [model, ...(LINKED.get(model) ?? [])]) {
    for (const [logicalId, fn] of candidate.ofType('AWS::Lambda::Function')) {
      const variables = candidate.resolve(((fn.Properties?.Environment ?? {}) as { Variables?: unknown }).Variables ?? {}) as Record<string, unknown>;
      const { SECRETS: secrets, WATCH_PATH: watchPath, NAMESPACE: namespace, GATEWAY: gateway } = variables;
      if (typeof namespace !== 'string' || typeof gateway !== 'string') continue;
      if (candidate === model && typeof secrets === 'string') {
        const listed = parseJson(secrets);
        if (Array.isArray(listed) && listed.some(names)) checks.push({ model: candidate, logicalId, namespace, gateway, secretName });
      } else if (typeof watchPath === 'string' && entries.some((name) => name.startsWith(`${watchPath.replace(/\/$/, '')}/`))) {
        checks.push({ model: candidate, logicalId, namespace, gateway, secretName, watchPath });
      }
    }
  }
  return checks;
}

function parseJson(value: unknown): unknown {
  if (typeof value !== 'string') return undefined;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

function isScheduled(model: TemplateModel, functionId: string): boolean {
  const arn = new LogicalIdRenderer().getAtt(functionId, 'Arn');
  return model.ofType('AWS::Events::Rule').some(([, rule]) => {
    const props = rule.Properties ?? {};
    if (typeof props.ScheduleExpression !== 'string' || props.State === 'DISABLED') return false;
    return asList(props.Targets as unknown[] | undefined).some((target) => model.resolve((target as { Arn?: unknown }).Arn) === arn);
  });
}

/** True when a policy resource covers a value: equal, `*`, or a glob pattern that matches it. */
function resourceCovers(resource: unknown, value: string): boolean {
  if (resource === '*' || resource === value) return true;
  if (typeof resource !== 'string' || !/[*?]/.test(resource)) return false;
  return globToRegExp(resource, false).test(value);
}

function mayListVersions(model: TemplateModel, check: KeyAgeCheck, localSecretId: string | undefined): boolean {
  const roleArn = model.resolve(model.resources[check.logicalId]?.Properties?.Role);
  const role = model.roles().find((r) => roleArn === new LogicalIdRenderer().getAtt(r.logicalId, 'Arn'));
  if (!role) return false;
  const statements = role.policies.flatMap((p) => asList<StatementJson>(p.document?.Statement));
  const allows = (action: string, covered: (resource: unknown) => boolean) => {
    const covers = (s: StatementJson) => asList(s.Action).some((a) => expandAction(String(a)).some((x) => x.action.toLowerCase() === action))
      && asList(s.Resource).some(covered);
    return statements.some((s) => s.Effect === 'Allow' && covers(s)) && !statements.some((s) => s.Effect === 'Deny' && covers(s));
  };
  // The secret by reference (same template), or by its name: Secrets Manager appends six characters.
  const secret = localSecretId === undefined ? undefined : new LogicalIdRenderer().ref(localSecretId);
  const secretCovered = (resource: unknown) => resource === secret || resource === '*'
    || (typeof resource === 'string' && /:secret:/.test(resource) && resourceCovers(resource.split(':secret:')[1], `${check.secretName}-AbCdEf`));
  if (!allows(LIST_VERSIONS, secretCovered)) return false;
  if (check.watchPath === undefined) return true;
  const path = check.watchPath.replace(/\/$/, '');
  return allows(LIST_PARAMETERS, (resource) => resource === '*'
    || (typeof resource === 'string' && /:parameter\//.test(resource) && resourceCovers(resource.split(':parameter')[1], path)));
}

/** The alarm's threshold in days when it watches this check's metric for this secret the way a rotation alarm must. */
function alarmThreshold(model: TemplateModel, props: Record<string, unknown>, check: KeyAgeCheck): number | undefined {
  if (props.MetricName !== KEY_AGE_METRIC || props.Namespace !== check.namespace) return undefined;
  const dimensions = new Map(asList(props.Dimensions as Array<{ Name: string; Value: unknown }> | undefined)
    .map((d) => [d.Name, model.resolve(d.Value)]));
  const sameDimensions = dimensions.size === KEY_AGE_DIMENSIONS.length
    && dimensions.get(GATEWAY_DIMENSION) === check.gateway && dimensions.get(SECRET_DIMENSION) === check.secretName;
  if (!sameDimensions) return undefined;
  if (!['GreaterThanThreshold', 'GreaterThanOrEqualToThreshold'].includes(String(props.ComparisonOperator))) return undefined;
  if (props.TreatMissingData !== 'breaching' || props.ActionsEnabled === false) return undefined;
  if (asList(props.AlarmActions as unknown[] | undefined).length === 0) return undefined;
  const threshold = Number(props.Threshold);
  return Number.isFinite(threshold) && threshold > 0 ? threshold : undefined;
}
