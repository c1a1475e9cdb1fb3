import { Policy } from '@cdktf/provider-vault/lib/policy';
import { Construct } from 'constructs';
import { VaultPolicyDocument } from '../vault-acl';

/**
 * Properties of a Vault policy.
 */
export interface GatewayVaultPolicyProps {
  /** The policy document; use `VaultPolicyDocument.forWorkload` for anything a workload holds. */
  readonly document: VaultPolicyDocument;
}

/**
 * A Vault ACL policy whose HCL comes from typed rules, never from free text. The document was
 * checked when it was made (`VaultPolicyDocument.forWorkload`).
 */
export class GatewayVaultPolicy extends Construct {
  /** The policy resource. */
  public readonly resource: Policy;
  /** The document the policy was made from. */
  public readonly document: VaultPolicyDocument;

  constructor(scope: Construct, id: string, props: GatewayVaultPolicyProps) {
    super(scope, id);
    this.document = props.document;
    this.resource = new Policy(this, 'Resource', { name: props.document.name, policy: props.document.toHcl() });
  }
}
