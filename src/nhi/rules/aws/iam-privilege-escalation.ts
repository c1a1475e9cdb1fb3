import { NhiSeverity, OwaspNhi } from '../../finding';
import { expandAction } from '../../private/iam-catalog';
import { AWS_FIXTURES, awsRule, AwsHit } from '../rule';
import { actionsOf, identityAllows, permissionHoldersOf } from '../support/aws';

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
    const escalations = ESCALATION_ACTIONS.filter(has);
    if (has('iam:PassRole')) {
      const runners = PASSROLE_TARGETS.filter(has);
      if (runners.length > 0) escalations.push(`iam:PassRole with ${runners.join(', ')}`);
    }
    return escalations.length > 0 ? [{ logicalId: role.logicalId, message: `can escalate through ${escalations.join('; ')}` }] : [];
  }),
});
