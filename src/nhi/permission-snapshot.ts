import * as fs from 'fs';
import { asList, CfnTemplateJson, pathModel, RoleModel, StatementJson, TemplateModel } from './private/cfn-template';

const ASSET_HASH = /[a-f0-9]{64}/g;

function sortedList(value: unknown): string[] {
  return asList(value as string | string[] | undefined).map((v) => String(v).replace(ASSET_HASH, '<asset-hash>')).sort();
}

function normalizeStatement(statement: StatementJson): Record<string, unknown> {
  const out: Record<string, unknown> = { Effect: statement.Effect };
  if (statement.Sid) out.Sid = statement.Sid;
  for (const key of ['Principal', 'NotPrincipal'] as const) {
    const principal = statement[key];
    if (principal === undefined) continue;
    out[key] = typeof principal === 'string'
      ? principal
      : Object.fromEntries(Object.keys(principal as object).sort().map((k) => [k, sortedList((principal as Record<string, unknown>)[k])]));
  }
  for (const key of ['Action', 'NotAction', 'Resource', 'NotResource'] as const) {
    if (statement[key] !== undefined) out[key] = sortedList(statement[key]);
  }
  if (statement.Condition) {
    out.Condition = Object.fromEntries(Object.keys(statement.Condition).sort().map((operator) => {
      const byKey = statement.Condition![operator];
      return [operator, Object.fromEntries(Object.keys(byKey).sort().map((k) => [k, sortedList(byKey[k])]))];
    }));
  }
  return out;
}

function normalizeStatements(statements: StatementJson[] | undefined): Array<Record<string, unknown>> {
  return asList(statements).map(normalizeStatement).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

function principalSnapshot(model: TemplateModel, role: RoleModel): Record<string, unknown> {
  const permissions: Record<string, unknown> = {};
  for (const policy of role.policies) {
    const label = policy.kind === 'inline' ? `inline:${policy.name}` : `${policy.kind}:${model.pathOf(policy.logicalId)}`;
    permissions[label] = normalizeStatements(policy.document?.Statement);
  }
  return {
    roleName: role.roleName ?? null,
    maxSessionDurationSeconds: role.maxSessionDuration ?? 3600,
    permissionsBoundary: role.permissionsBoundary ?? null,
    awsManagedPolicies: [...role.externalManagedPolicyArns].sort(),
    trust: normalizeStatements(role.trust?.Statement),
    permissions: Object.fromEntries(Object.keys(permissions).sort().map((k) => [k, permissions[k]])),
  };
}

/**
 * What every IAM role of a synthesized template may do, one normalized JSON document per role:
 * its trust policy, every attached policy's statements, AWS-managed policies and boundary.
 * Statements, actions, resources and condition values are sorted, references are rendered as
 * construct paths and asset hashes are removed, so the snapshot changes only when permissions do.
 *
 * Commit one snapshot per principal and compare it in a test: any widening shows up as a diff.
 */
export class PermissionSnapshot {
  /**
   * The snapshot of a synthesized template file (`cdk.out/<stack>.template.json`).
   */
  public static fromTemplateFile(templateFile: string): PermissionSnapshot {
    return PermissionSnapshot.fromTemplateJson(fs.readFileSync(templateFile, 'utf-8'));
  }

  /**
   * The snapshot of a synthesized template given as JSON text.
   */
  public static fromTemplateJson(templateJson: string): PermissionSnapshot {
    return new PermissionSnapshot(JSON.parse(templateJson) as CfnTemplateJson);
  }

  /** The construct paths of the template's roles, sorted. */
  public readonly principals: string[];

  private readonly snapshots: Map<string, Record<string, unknown>>;

  private constructor(template: CfnTemplateJson) {
    const model = pathModel(template);
    this.snapshots = new Map(model.roles().map((role) => [role.path, principalSnapshot(model, role)]));
    this.principals = [...this.snapshots.keys()].sort();
  }

  /**
   * The normalized permissions of one role, as indented JSON.
   *
   * @param principalPath the role's construct path, one of `principals`
   */
  public principal(principalPath: string): string {
    const snapshot = this.snapshots.get(principalPath);
    if (!snapshot) {
      throw new Error(`No role at ${principalPath}; the template's roles are: ${this.principals.join(', ')}`);
    }
    return `${JSON.stringify(snapshot, undefined, 2)}\n`;
  }

  /**
   * Every role's normalized permissions, keyed by construct path, as indented JSON.
   */
  public toJson(): string {
    return `${JSON.stringify(Object.fromEntries(this.principals.map((p) => [p, this.snapshots.get(p)])), undefined, 2)}\n`;
  }
}
