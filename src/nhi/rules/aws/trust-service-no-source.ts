import { NhiSeverity, OwaspNhi } from '../../finding';
import { hasValue } from '../../private/secret-names';
import { AWS_FIXTURES, awsRule, AwsHit } from '../rule';
import { AwsCheckContext, conditionKeys, isLiteralString, principalsOf, resourcesOfTypes, rolesOf, trustAllows } from '../support/aws';

/** Services that send aws:SourceAccount/aws:SourceArn when they assume a role, and document checking them. */
const SOURCE_SENDING_SERVICES = [
  's3.amazonaws.com', 'scheduler.amazonaws.com', 'config.amazonaws.com', 'iot.amazonaws.com',
  'personalize.amazonaws.com', 'appstream.amazonaws.com', 'transfer.amazonaws.com', 'sns.amazonaws.com',
];
const SOURCE_KEYS = ['aws:sourceaccount', 'aws:sourcearn', 'aws:sourceorgid'];

/**
 * Services that can invoke a function only from a resource of the function's own account (an
 * Application Load Balancer's target group must be in the function's account and Region), so a
 * permission without a source admits no one else.
 */
const SAME_ACCOUNT_INVOKERS = ['elasticloadbalancing.amazonaws.com'];

/**
 * A function's resource policy statement (`AWS::Lambda::Permission`, Terraform's
 * `aws_lambda_permission`) that lets a service invoke it with neither `SourceArn` nor
 * `SourceAccount`: a resource of that service in any account (another account's bucket, topic,
 * API or bot) can be pointed at the function, which Lambda's documentation warns of.
 */
function unscopedServicePermissions(ctx: AwsCheckContext): AwsHit[] {
  return resourcesOfTypes(ctx.model, ['AWS::Lambda::Permission']).flatMap(([logicalId, resource]) => {
    const p = resource.Properties ?? {};
    const principal = p.Principal;
    if (!isLiteralString(principal) || !principal.endsWith('.amazonaws.com') || SAME_ACCOUNT_INVOKERS.includes(principal)) return [];
    if (['SourceArn', 'SourceAccount', 'PrincipalOrgID'].some((key) => hasValue(p[key]))) return [];
    return [{ logicalId, message: `lets ${principal} invoke the function without SourceArn or SourceAccount: a resource of that service in any account can invoke it` }];
  });
}

export const TrustServiceNoSource = awsRule({
  id: 'NHI-TRUST-SERVICE-NO-SOURCE',
  title: 'A role or function trusts a service without checking which resource of it calls',
  nhi: OwaspNhi.NHI3,
  nist: ['AC-3'],
  severity: NhiSeverity.MEDIUM,
  fix: 'add aws:SourceAccount and aws:SourceArn conditions to the trust statement; give a function permission its SourceArn (and SourceAccount)',
  fixtures: AWS_FIXTURES,
  checkTemplate: (ctx) => [
    ...rolesOf(ctx).flatMap((role) => trustAllows(role)
      .filter((statement) => !conditionKeys(statement).some((k) => SOURCE_KEYS.includes(k)))
      .flatMap((statement) => principalsOf(statement, 'Service').filter((s) => SOURCE_SENDING_SERVICES.includes(s))
        .map((service) => ({ logicalId: role.logicalId, message: `trusts ${service} without aws:SourceAccount or aws:SourceArn` })))),
    ...unscopedServicePermissions(ctx),
  ],
});
