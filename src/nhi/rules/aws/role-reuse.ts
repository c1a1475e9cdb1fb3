import { NhiSeverity, OwaspNhi } from '../../finding';
import { asList, RoleModel } from '../../private/cfn-template';
import { AWS_FIXTURES, awsRule, AwsHit } from '../rule';
import { actionsOf, awsManagedPolicyName, identityAllows, isDeployTimeRole, principalsOf, referencedId, roleOfArn, rolesOf, trustAllows } from '../support/aws';

/**
 * Services a Kubernetes node itself calls (joining the cluster, pulling images, networking,
 * Systems Manager, logs and metrics): AWS's node policies grant them to the node role.
 */
const NODE_SERVICES = new Set(['ec2', 'ecr', 'eks', 'eks-auth', 'ssm', 'ssmmessages', 'ec2messages', 'logs', 'cloudwatch', 'sts', 'kms', 'elasticloadbalancing', 'autoscaling']);

/** AWS's policies for a node's own duties (joining the cluster, pulling images, networking, storage drivers, Systems Manager, metrics). */
const NODE_POLICIES = new Set(['AmazonEKSWorkerNodePolicy', 'AmazonEKSWorkerNodeMinimalPolicy', 'AmazonEKS_CNI_Policy', 'AmazonEC2ContainerRegistryReadOnly',
  'AmazonEC2ContainerRegistryPullOnly', 'AmazonSSMManagedInstanceCore', 'CloudWatchAgentServerPolicy', 'AmazonEBSCSIDriverPolicy', 'AmazonEFSCSIDriverPolicy']);

/**
 * What a node role holds that no node needs, which every pod on the nodes inherits: the actions of
 * its own statements outside a node's services, and AWS-managed policies other than the node policies.
 */
function workloadActions(role: RoleModel): string[] {
  const actions = identityAllows(role).flatMap(actionsOf).filter((a) => typeof a === 'string' && !NODE_SERVICES.has(a.split(':')[0].toLowerCase()));
  const managed = role.externalManagedPolicyArns.map(awsManagedPolicyName)
    .filter((name): name is string => name !== undefined && !NODE_POLICIES.has(name))
    .map((name) => `the AWS-managed policy ${name}`);
  return [...new Set([...managed, ...actions])];
}

/**
 * Compute resources and the property that names the role their code runs as: a function, a
 * task, a notebook, a model's inference containers, a build, a job, a state machine, a Bedrock
 * agent, and AgentCore's runtimes, custom browsers, code interpreters and gateways.
 */
const WORKLOAD_ROLE_PROPERTY: Record<string, string> = {
  'AWS::Lambda::Function': 'Role',
  'AWS::ECS::TaskDefinition': 'TaskRoleArn',
  'AWS::SageMaker::NotebookInstance': 'RoleArn',
  'AWS::SageMaker::Model': 'ExecutionRoleArn',
  'AWS::CodeBuild::Project': 'ServiceRole',
  'AWS::Glue::Job': 'Role',
  'AWS::StepFunctions::StateMachine': 'RoleArn',
  'AWS::Bedrock::Agent': 'AgentResourceRoleArn',
  'AWS::BedrockAgentCore::Runtime': 'RoleArn',
  'AWS::BedrockAgentCore::BrowserCustom': 'ExecutionRoleArn',
  'AWS::BedrockAgentCore::CodeInterpreterCustom': 'ExecutionRoleArn',
  'AWS::BedrockAgentCore::Gateway': 'RoleArn',
};

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
      // The roles of deploy-time providers (CDK's EKS handlers assuming its cluster-creation role) serve no workload.
      if (isDeployTimeRole(ctx.model, role.logicalId)) continue;
      const trusted = [...new Set(trustAllows(role).flatMap((s) => principalsOf(s, 'AWS')))].filter((p) => p !== '*');
      if (trusted.length > 1) hits.push({ logicalId: role.logicalId, message: `is trusted by ${trusted.length} principals: ${trusted.join(', ')}` });
    }
    // A role used as the identity of more than one compute resource.
    const { model } = ctx;
    const users = new Map<string, string[]>();
    const record = (value: unknown, user: string) => {
      const ref = roleOfArn(model, value);
      if (ref) users.set(ref, [...(users.get(ref) ?? []), user]);
    };
    for (const [id, resource] of Object.entries(model.resources)) {
      const props = resource.Properties ?? {};
      const identity = WORKLOAD_ROLE_PROPERTY[resource.Type];
      if (identity) record(props[identity], model.pathOf(id));
      if (resource.Type === 'AWS::IAM::InstanceProfile') asList(props.Roles as unknown[]).forEach((r) => record(r, model.pathOf(id)));
    }
    // An EKS node role that holds an application's permissions: every pod scheduled on the nodes
    // reaches them through the instance metadata, whatever workload it is (no pod identity or IRSA).
    for (const [id, resource] of Object.entries(model.resources).filter(([, r]) => r.Type === 'AWS::EKS::Nodegroup')) {
      const roleId = referencedId(resource.Properties?.NodeRole);
      const role = roleId ? rolesOf(ctx).find((r) => r.logicalId === roleId) : undefined;
      const actions = role ? workloadActions(role) : [];
      if (role && actions.length > 0 && !hits.some((h) => h.logicalId === role.logicalId && h.message.startsWith('is the node role'))) {
        hits.push({
          logicalId: role.logicalId,
          message: `is the node role of ${model.pathOf(id)} and holds ${actions.slice(0, 4).join(', ')}${actions.length > 4 ? ` and ${actions.length - 4} more` : ''}: every pod on its nodes holds them; give the workload its own role (EKS Pod Identity or IRSA)`,
        });
      }
    }
    for (const [logicalId, list] of users) {
      if (list.length > 1) hits.push({ logicalId, message: `is the identity of ${list.length} workloads: ${list.join(', ')}` });
    }
    return hits;
  },
});
