import * as fs from 'fs';
import { asList, CfnTemplateJson, pathModel, RoleModel, StatementJson } from './private/cfn-template';
import { expandAction } from './private/iam-catalog';

/**
 * Assertions about the IAM roles of a synthesized template, for a project's own tests: each
 * throws an error that names the role, the statement and what is wrong, so a test fails with a
 * message a reviewer can act on. Roles are named by construct path, as in `PermissionSnapshot`.
 *
 * @example
 * const roles = PrincipalAssertions.fromTemplateJson(JSON.stringify(Template.fromStack(stack).toJSON()));
 * roles.assertNoWildcards('MyStack/Api/Role');
 * roles.assertActionsWithin('MyStack/Api/Role', ['bedrock:InvokeModel']);
 */
export class PrincipalAssertions {
  /**
   * The roles of a synthesized template file (`cdk.out/<stack>.template.json`).
   */
  public static fromTemplateFile(templateFile: string): PrincipalAssertions {
    return PrincipalAssertions.fromTemplateJson(fs.readFileSync(templateFile, 'utf-8'));
  }

  /**
   * The roles of a synthesized template given as JSON text.
   */
  public static fromTemplateJson(templateJson: string): PrincipalAssertions {
    return new PrincipalAssertions(JSON.parse(templateJson) as CfnTemplateJson);
  }

  /** The construct paths of the template's roles, sorted. */
  public readonly principals: string[];

  private readonly roles: Map<string, RoleModel>;

  private constructor(template: CfnTemplateJson) {
    this.roles = new Map(pathModel(template).roles().map((role) => [role.path, role]));
    this.principals = [...this.roles.keys()].sort();
  }

  /**
   * Every action the role's own policies allow, as written (wildcards are not expanded), sorted.
   * `NotAction` allows are listed as `NOT <action>`.
   *
   * @param principalPath the role's construct path, one of `principals`
   */
  public allowedActions(principalPath: string): string[] {
    const actions = new Set<string>();
    for (const statement of allows(this.role(principalPath))) {
      for (const action of asList(statement.Action)) actions.add(action);
      for (const action of asList(statement.NotAction)) actions.add(`NOT ${action}`);
    }
    return [...actions].sort();
  }

  /**
   * Fails when the role is allowed a wildcard: an action with `*`, a `NotAction` or `NotResource`
   * allow, the resource `*` for an action that accepts a narrower resource, or an AWS-managed
   * policy (whose statements the template does not show). A resource pattern scoped by its ARN,
   * such as `...:log-group:/app:log-stream:*`, is not a wildcard resource; `*` for actions AWS
   * offers no resource-level form for (`ec2:DescribeSubnets`) is the only form there is.
   *
   * @param principalPath the role's construct path, one of `principals`
   */
  public assertNoWildcards(principalPath: string): void {
    const role = this.role(principalPath);
    const problems: string[] = role.externalManagedPolicyArns.map((arn) => `holds the managed policy ${arn}, whose statements cannot be checked here`);
    for (const statement of allows(role)) {
      const label = describe(statement);
      for (const action of asList(statement.Action)) if (action.includes('*')) problems.push(`${label} allows the wildcard action ${action}`);
      if (statement.NotAction !== undefined) problems.push(`${label} allows everything except ${asList(statement.NotAction).join(', ')} (NotAction)`);
      if (statement.NotResource !== undefined) problems.push(`${label} allows every resource except ${asList(statement.NotResource).join(', ')} (NotResource)`);
      const scopable = asList(statement.Action).filter((a) => a.includes('*') || !expandAction(a).every((x) => x.wildcardOnly));
      if (asList(statement.Resource).map(String).includes('*') && scopable.length > 0) {
        problems.push(`${label} allows ${scopable.join(', ')} on every resource (*)`);
      }
    }
    fail(principalPath, problems);
  }

  /**
   * Fails when the role is allowed any action outside the given list, compared as written: a
   * wildcard in the role's policies only passes if the same wildcard is in the list.
   *
   * @param principalPath the role's construct path, one of `principals`
   * @param permitted the actions the role may be allowed, e.g. `['bedrock:InvokeModel']`
   */
  public assertActionsWithin(principalPath: string, permitted: string[]): void {
    const allowed = new Set(permitted.map((a) => a.toLowerCase()));
    const extra = this.allowedActions(principalPath).filter((a) => !allowed.has(a.toLowerCase()));
    fail(principalPath, extra.map((a) => `is allowed ${a}, which is not among the permitted actions (${permitted.join(', ')})`));
  }

  private role(principalPath: string): RoleModel {
    const role = this.roles.get(principalPath);
    if (!role) throw new Error(`No role at ${principalPath}; the template's roles are: ${this.principals.join(', ')}`);
    return role;
  }
}

function allows(role: RoleModel): StatementJson[] {
  return role.policies.flatMap((policy) => asList(policy.document?.Statement)).filter((s) => s.Effect === 'Allow');
}

function describe(statement: StatementJson): string {
  return statement.Sid ? `statement ${statement.Sid}` : 'a statement';
}

function fail(principalPath: string, problems: string[]): void {
  if (problems.length > 0) throw new Error(`${principalPath}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
}
