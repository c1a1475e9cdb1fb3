import { NhiSeverity, OwaspNhi } from '../../finding';
import { StatementJson } from '../../private/cfn-template';
import { expandAction, isUserNamePrefix } from '../../private/iam-catalog';
import { AWS_FIXTURES, awsRule, AwsHit } from '../rule';
import { actionsOf, awsManagedPolicyName, conditionKeys, identityAllows, namesRoles, permissionHoldersOf, publishedControllerOf, resourcesOf } from '../support/aws';

/** Actions that let a principal give itself (or something it controls) more rights. */
const ESCALATION_ACTIONS = [
  'iam:CreatePolicyVersion', 'iam:SetDefaultPolicyVersion', 'iam:AttachUserPolicy', 'iam:AttachRolePolicy', 'iam:AttachGroupPolicy',
  'iam:PutUserPolicy', 'iam:PutRolePolicy', 'iam:PutGroupPolicy', 'iam:CreateAccessKey', 'iam:CreateLoginProfile', 'iam:UpdateLoginProfile',
  'iam:UpdateAssumeRolePolicy', 'iam:AddUserToGroup', 'iam:DeleteRolePermissionsBoundary', 'iam:PutRolePermissionsBoundary',
  'lambda:UpdateFunctionCode', 'lambda:UpdateFunctionConfiguration',
];

/** Actions that run code as a role passed to them: with iam:PassRole they escalate. */
const PASSROLE_TARGETS = [
  'lambda:CreateFunction', 'ec2:RunInstances', 'cloudformation:CreateStack', 'glue:CreateDevEndpoint', 'glue:CreateJob',
  'datapipeline:CreatePipeline', 'sagemaker:CreateNotebookInstance', 'sagemaker:CreateTrainingJob', 'ecs:RunTask',
  'codebuild:CreateProject', 'states:CreateStateMachine', 'bedrock:CreateAgent',
];

/**
 * AWS-managed policies that hold an escalation path as AWS publishes them: each passes any role
 * to a service (its only condition is `iam:PassedToService`) beside the action that runs code
 * as the passed role.
 */
const ESCALATING_MANAGED: Record<string, string> = {
  AWSLambda_FullAccess: 'the AWS-managed policy AWSLambda_FullAccess (iam:PassRole of any role to Lambda with lambda:CreateFunction and lambda:UpdateFunctionCode)',
  AWSLambdaFullAccess: 'the AWS-managed policy AWSLambdaFullAccess (iam:PassRole of any role to Lambda with lambda:CreateFunction and lambda:UpdateFunctionCode)',
  AmazonSageMakerFullAccess: 'the AWS-managed policy AmazonSageMakerFullAccess (iam:PassRole of any role to SageMaker with sagemaker:CreateNotebookInstance)',
};

/** True for a resource that stands for every role of an account or of every account. */
function everyRole(resource: string): boolean {
  return resource === '*' || /^arn:aws[\w-]*:iam::(\*|\d{12}|\$\{[^}]+\}):(role\/)?\*$/.test(resource);
}

/** Actions on IAM users and groups that Vault's AWS engine needs to create the users it hands out. */
const USER_MANAGEMENT = new Set(['iam:attachuserpolicy', 'iam:putuserpolicy', 'iam:createaccesskey', 'iam:addusertogroup']);

/**
 * True when the user-management actions are granted as HashiCorp documents them for the AWS
 * secrets engine: only on users under one name prefix (`user/vault-*`) and on named groups and
 * policies, never on every user. The engine exists to create those users; what they may do is
 * judged on the engine's roles (NHI-VAULT-AWS-ROLE-POLICY, NHI-VAULT-IAM-USER).
 */
function engineUserManagement(statements: StatementJson[]): boolean {
  const granting = statements.filter((s) => actionsOf(s).flatMap(expandAction).some((a) => USER_MANAGEMENT.has(a.action.toLowerCase())));
  return granting.length > 0 && granting.every((s) => resourcesOf(s).every((r) =>
    isUserNamePrefix(r) || /:(group|policy)\/[^*?]+$/.test(r)
    // Groups and policies the configuration names or reads (`data.aws_iam_group.g[*].arn`).
    || /^\$\{(data\.)?aws_iam_(group|policy)\.[^}]*\.arn\}$/.test(r)));
}

export const IamPrivilegeEscalation = awsRule({
  id: 'NHI-IAM-PRIVILEGE-ESCALATION',
  title: 'A principal holds actions known to escalate privilege',
  nhi: OwaspNhi.NHI5,
  nist: ['AC-6(10)', 'AC-6(1)'],
  severity: NhiSeverity.CRITICAL,
  fix: 'remove the escalation path; changes to IAM belong to a deployment role, never to a workload',
  fixtures: AWS_FIXTURES,
  checkTemplate: (ctx) => permissionHoldersOf(ctx).flatMap((role): AwsHit[] => {
    const granted = new Set(identityAllows(role).flatMap(actionsOf).flatMap(expandAction).map((a) => a.action.toLowerCase()));
    const has = (action: string) => granted.has(action.toLowerCase());
    const engine = ctx.model.resources[role.logicalId]?.Metadata?.['gateward:vault-aws-engine'] === true && engineUserManagement(identityAllows(role));
    const escalations = ESCALATION_ACTIONS.filter(has).filter((a) => !(engine && USER_MANAGEMENT.has(a.toLowerCase())));
    // A published controller that passes only named roles to a named service (Karpenter launching
    // nodes with the node role) does what its policy documents; those roles are judged themselves.
    const passesNamed = (statement: StatementJson) => namesRoles(statement) && conditionKeys(statement).includes('iam:passedtoservice');
    const passing = identityAllows(role).filter((s) => actionsOf(s).flatMap(expandAction).some((a) => a.action.toLowerCase() === 'iam:passrole'));
    const documentedPass = publishedControllerOf(ctx, role) !== undefined && passing.every(passesNamed);
    if (has('iam:PassRole') && !documentedPass) {
      const runners = PASSROLE_TARGETS.filter(has);
      if (runners.length > 0) escalations.push(`iam:PassRole with ${runners.join(', ')}`);
    }
    // Assuming every role, with no condition, reaches each role that trusts this one's account (`:root`), not only the ones it needs.
    if (identityAllows(role).some((s) => actionsOf(s).flatMap(expandAction).some((a) => a.action.toLowerCase() === 'sts:assumerole')
      && conditionKeys(s).length === 0 && resourcesOf(s).some(everyRole))) {
      escalations.push('sts:AssumeRole on every role');
    }
    for (const arn of role.externalManagedPolicyArns) {
      const name = awsManagedPolicyName(arn);
      if (name && ESCALATING_MANAGED[name]) escalations.push(ESCALATING_MANAGED[name]);
    }
    return escalations.length > 0 ? [{ logicalId: role.logicalId, message: `can escalate through ${escalations.join('; ')}` }] : [];
  }),
});
