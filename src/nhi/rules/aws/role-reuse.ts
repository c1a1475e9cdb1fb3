import { NhiSeverity, OwaspNhi } from '../../finding';
import { asList } from '../../private/cfn-template';
import { AWS_FIXTURES, awsRule, AwsHit } from '../rule';
import { principalsOf, referencedId, rolesOf, trustAllows } from '../support/aws';

export const RoleReuse = awsRule({
  id: 'NHI-ROLE-REUSE',
  title: 'One role serves several workloads',
  nhi: OwaspNhi.NHI9,
  nist: ['AC-2(9)', 'IA-4'],
  severity: NhiSeverity.MEDIUM,
  fix: 'give each workload its own role, trusted by that workload alone',
  fixtures: AWS_FIXTURES,
  checkTemplate: (ctx) => {
    const hits: AwsHit[] = [];
    for (const role of rolesOf(ctx)) {
      const trusted = [...new Set(trustAllows(role).flatMap((s) => principalsOf(s, 'AWS')))].filter((p) => p !== '*');
      if (trusted.length > 1) hits.push({ logicalId: role.logicalId, message: `is trusted by ${trusted.length} principals: ${trusted.join(', ')}` });
    }
    // A role used as the identity of more than one compute resource.
    const { model } = ctx;
    const users = new Map<string, string[]>();
    const record = (value: unknown, user: string) => {
      const ref = referencedId(value);
      if (ref && model.resources[ref]?.Type === 'AWS::IAM::Role') users.set(ref, [...(users.get(ref) ?? []), user]);
    };
    for (const [id, resource] of Object.entries(model.resources)) {
      const props = resource.Properties ?? {};
      if (resource.Type === 'AWS::Lambda::Function') record(props.Role, model.pathOf(id));
      if (resource.Type === 'AWS::ECS::TaskDefinition') record(props.TaskRoleArn, model.pathOf(id));
      if (resource.Type === 'AWS::IAM::InstanceProfile') asList(props.Roles as unknown[]).forEach((r) => record(r, model.pathOf(id)));
    }
    for (const [logicalId, list] of users) {
      if (list.length > 1) hits.push({ logicalId, message: `is the identity of ${list.length} workloads: ${list.join(', ')}` });
    }
    return hits;
  },
});
