import { asList, LogicalIdRenderer, StatementJson, TemplateModel } from './cfn-template';
import { expandAction } from './iam-catalog';
// The metric gateward's key-age check reports for each watched secret, with exactly these dimensions.
import { KEY_AGE_DIMENSIONS, KEY_AGE_METRIC } from '../../spec/key-rotation';

// The alarm's dimensions, in the order the key-age check writes them.
const [GATEWAY_DIMENSION, SECRET_DIMENSION] = KEY_AGE_DIMENSIONS;
const LIST_VERSIONS = 'secretsmanager:listsecretversionids';

/** A manual rotation the template proves is watched: the alarm fires once the key is older than `days`. */
export interface WatchedRotation {
  readonly days: number;
  readonly alarmLogicalId: string;
  readonly checkLogicalId: string;
}

interface KeyAgeCheck {
  readonly logicalId: string;
  readonly namespace: string;
  readonly gateway: string;
  readonly secretName: string;
}

/** A template model whose references render as logical ids, to tell exactly what a value points at. */
export function logicalIdModel(model: TemplateModel): TemplateModel {
  return new TemplateModel({ Resources: model.resources }, new LogicalIdRenderer());
}

/**
 * The watched manual rotation of one secret, read from the synthesized template alone, or
 * undefined when nothing proves one. Every link must be in the template:
 *
 * - a function lists the secret (by reference, with its literal name) in its `SECRETS`, and names
 *   the metric namespace and gateway it reports under;
 * - an enabled schedule invokes that function;
 * - the function's role may call `secretsmanager:ListSecretVersionIds` on the secret (or the check
 *   could not read the key's age);
 * - an alarm on that function's age metric for this secret fires above a threshold, treats
 *   missing data as breaching (a check that stops must not look like a fresh key), and notifies
 *   someone.
 */
export function watchedRotationOf(model: TemplateModel, secretId: string): WatchedRotation | undefined {
  const secretName = model.resources[secretId]?.Properties?.Name;
  if (typeof secretName !== 'string') return undefined;
  const checks = keyAgeChecksOf(model, secretId, secretName)
    .filter((check) => isScheduled(model, check.logicalId) && mayListVersions(model, check.logicalId, secretId));
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
  for (const [logicalId, fn] of model.ofType('AWS::Lambda::Function')) {
    const variables = model.resolve(((fn.Properties?.Environment ?? {}) as { Variables?: unknown }).Variables ?? {}) as Record<string, unknown>;
    const { SECRETS: secrets, NAMESPACE: namespace, GATEWAY: gateway } = variables;
    if (typeof secrets !== 'string' || typeof namespace !== 'string' || typeof gateway !== 'string') continue;
    let listed: unknown;
    try {
      listed = JSON.parse(secrets);
    } catch {
      continue;
    }
    const reference = new LogicalIdRenderer().ref(secretId);
    const watches = Array.isArray(listed) && listed.some((entry) => entry && typeof entry === 'object'
      && (entry as Record<string, unknown>).arn === reference && (entry as Record<string, unknown>).name === secretName);
    if (watches) checks.push({ logicalId, namespace, gateway, secretName });
  }
  return checks;
}

function isScheduled(model: TemplateModel, functionId: string): boolean {
  const arn = new LogicalIdRenderer().getAtt(functionId, 'Arn');
  return model.ofType('AWS::Events::Rule').some(([, rule]) => {
    const props = rule.Properties ?? {};
    if (typeof props.ScheduleExpression !== 'string' || props.State === 'DISABLED') return false;
    return asList(props.Targets as unknown[] | undefined).some((target) => model.resolve((target as { Arn?: unknown }).Arn) === arn);
  });
}

function mayListVersions(model: TemplateModel, functionId: string, secretId: string): boolean {
  const roleArn = model.resolve(model.resources[functionId]?.Properties?.Role);
  const role = model.roles().find((r) => roleArn === new LogicalIdRenderer().getAtt(r.logicalId, 'Arn'));
  if (!role) return false;
  const secret = new LogicalIdRenderer().ref(secretId);
  const statements = role.policies.flatMap((p) => asList<StatementJson>(p.document?.Statement));
  const covers = (s: StatementJson) => asList(s.Action).some((a) => expandAction(String(a)).some((x) => x.action.toLowerCase() === LIST_VERSIONS))
    && asList(s.Resource).some((r) => r === secret || r === '*');
  return statements.some((s) => s.Effect === 'Allow' && covers(s)) && !statements.some((s) => s.Effect === 'Deny' && covers(s));
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
