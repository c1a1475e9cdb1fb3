import { CheckedPlane, NhiSeverity, OwaspNhi } from '../finding';
import type { AcknowledgementsToJudge, StaleHit } from './stale-acknowledgement';
import { AwsCheckContext } from './support/aws';
import { VaultCheckContext } from './support/vault';

/** What a check found on one resource (or on the whole template when `logicalId` is absent). */
export interface AwsHit {
  readonly logicalId?: string;
  readonly message: string;
  /** Overrides the rule's default severity for this finding. */
  readonly severity?: NhiSeverity;
}

/** What an app-wide check found on one template of the app. */
export interface AppHit {
  readonly context: AwsCheckContext;
  /** The resource of that template the finding is on; absent for the whole template. */
  readonly logicalId?: string;
  readonly message: string;
  readonly severity?: NhiSeverity;
}

/** What a Vault check found on one resource (`type.name`), or on the whole configuration. */
export interface VaultHit {
  readonly address?: string;
  readonly message: string;
  readonly severity?: NhiSeverity;
}

/**
 * The two fixtures every rule carries, as file names under `test/fixtures/rules/<rule id>/`:
 * one the rule must fire on, one it must stay silent on.
 */
export interface RuleFixtures {
  readonly violating: string;
  readonly compliant: string;
}

/** What every rule file states about its rule. */
interface RuleMetadata<Id extends string> {
  readonly id: Id;
  readonly title: string;
  readonly nhi: OwaspNhi;
  /** NIST SP 800-53 Rev. 5 controls. */
  readonly nist: readonly string[];
  readonly severity: NhiSeverity;
  readonly fix: string;
  readonly fixtures: RuleFixtures;
}

/** A rule over CloudFormation: per template, per app, or both. */
export interface AwsRuleDefinition<Id extends string = string> extends RuleMetadata<Id> {
  readonly plane: CheckedPlane.AWS;
  readonly checkTemplate?: (ctx: AwsCheckContext) => AwsHit[];
  readonly checkApp?: (contexts: AwsCheckContext[]) => AppHit[];
}

/** A rule over one Terraform configuration of Vault. */
export interface VaultRuleDefinition<Id extends string = string> extends RuleMetadata<Id> {
  readonly plane: CheckedPlane.VAULT;
  readonly check: (ctx: VaultCheckContext) => VaultHit[];
}

/** A rule of no plane: it judges the acknowledgements both planes carry. */
export interface PlanelessRuleDefinition<Id extends string = string> extends RuleMetadata<Id> {
  readonly plane: undefined;
  readonly check: (input: AcknowledgementsToJudge) => StaleHit[];
}

export type RuleDefinition<Id extends string = string> = AwsRuleDefinition<Id> | VaultRuleDefinition<Id> | PlanelessRuleDefinition<Id>;

/** Declares a CloudFormation rule; the id stays a literal type, so the registry's ids are a union. */
export function awsRule<Id extends string>(definition: Omit<AwsRuleDefinition<Id>, 'plane'>): AwsRuleDefinition<Id> {
  return { ...definition, plane: CheckedPlane.AWS };
}

/** Declares a Vault rule. */
export function vaultRule<Id extends string>(definition: Omit<VaultRuleDefinition<Id>, 'plane'>): VaultRuleDefinition<Id> {
  return { ...definition, plane: CheckedPlane.VAULT };
}

/** Declares a rule that belongs to no plane. */
export function planelessRule<Id extends string>(definition: Omit<PlanelessRuleDefinition<Id>, 'plane'>): PlanelessRuleDefinition<Id> {
  return { ...definition, plane: undefined };
}

/** The fixture names every CloudFormation rule uses. */
export const AWS_FIXTURES: RuleFixtures = { violating: 'violating.template.json', compliant: 'compliant.template.json' };
/** The fixture names every Vault rule uses. */
export const VAULT_FIXTURES: RuleFixtures = { violating: 'violating.tf.json', compliant: 'compliant.tf.json' };
