import { NhiSeverity, OwaspNhi } from '../../finding';
import { namesASecret } from '../../private/secret-names';
import { isUnresolved } from '../../private/unresolved';
import { VAULT_FIXTURES, vaultRule, VaultHit } from '../rule';
import { dataDocument, holdsTfcCredential, KV_DOCUMENT_TYPES, TerraformResource } from '../support/vault';

const VARIABLE_TYPES = ['tfe_variable'];

/** The resource a `${type.name.id}` reference names (`tfe_variable_set.vault`), or the text itself for anything else. */
function referenced(value: unknown): string | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  const match = /^\$\{([a-z][a-z0-9_]*\.[A-Za-z0-9_\-[\]"]+)\.id\}$/.exec(value);
  return match ? match[1] : value;
}

/** What a variable's value is, as comparable text: the same variable, input or resource attribute gives the same text. */
function valueKey(value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  return isUnresolved(value) ? value.expression : JSON.stringify(value);
}

/**
 * The credentials a KV document copies from the configuration's inputs: each entry whose key
 * names a credential (`GITHUB_TOKEN`, `password`) and whose value is one variable or local
 * (`${var.github_token}`), as key and reference. Only inputs count: a password Terraform
 * generates for a service and copies to the tool that administers it is that service's own.
 */
function copiedCredentials(r: TerraformResource): Array<{ key: string; source: string }> {
  const document = dataDocument(r);
  if (!document) return [];
  return Object.entries(document).flatMap(([key, value]) => {
    const source = typeof value === 'string' ? /^\$\{((?:var|local)\.[A-Za-z0-9_-]+)\}$/.exec(value)?.[1] : undefined;
    return source && namesASecret(key) ? [{ key, source }] : [];
  });
}

/**
 * One credential copied into the secrets of several readers (the same token in a CI system's
 * and a controller's secret): each holder acts with it, so none can be told apart, rotated or
 * revoked alone. Reported on every secret that holds it.
 */
function sharedDocumentHits(resources: TerraformResource[]): VaultHit[] {
  const holders = new Map<string, Map<string, string[]>>();
  for (const r of resources.filter((d) => KV_DOCUMENT_TYPES.includes(d.type))) {
    for (const { key, source } of copiedCredentials(r)) {
      const bySecret = holders.get(source) ?? new Map<string, string[]>();
      bySecret.set(r.address, [...(bySecret.get(r.address) ?? []), key]);
      holders.set(source, bySecret);
    }
  }
  const shared = new Map<string, string[]>();
  for (const [source, bySecret] of holders) {
    if (bySecret.size < 2) continue;
    for (const [address, keys] of bySecret) {
      const others = [...bySecret.keys()].filter((a) => a !== address);
      shared.set(address, [...(shared.get(address) ?? []), `${keys.join(', ')} (\${${source}}, also in ${others.join(', ')})`]);
    }
  }
  return [...shared].map(([address, entries]) => ({
    address,
    message: `holds credentials other secrets hold too: ${entries.join('; ')}; every reader of each acts with the same credential`,
  }));
}

/**
 * Sensitive Terraform Cloud variables several workspaces receive: a variable set marked
 * `global` (every workspace of the organization), or the same value written as a sensitive
 * variable of two or more workspaces or sets; and the same input credential copied into the
 * KV secrets of several readers. Each holder then acts with the one credential, so none of them
 * can be told apart, rotated or revoked alone.
 */
export const TfSharedWorkspaceCredential = vaultRule({
  id: 'NHI-TF-SHARED-WORKSPACE-CREDENTIAL',
  title: 'One credential is handed to several Terraform Cloud workspaces or Vault secrets',
  nhi: OwaspNhi.NHI9,
  nist: ['IA-2', 'IA-5', 'AC-6'],
  severity: NhiSeverity.HIGH,
  fix: 'give each workspace and each workload its own credential (its own token, key or deploy key), or better dynamic provider credentials (workload identity: TFC_VAULT_PROVIDER_AUTH, TFC_AWS_PROVIDER_AUTH) so no static secret is shared; never put a credential in a global variable set',
  fixtures: VAULT_FIXTURES,
  check: (ctx) => {
    // HCP Terraform's dynamic-credential settings (an address, a role) are no credential, sensitive or not.
    const variables = ctx.resources.filter((r) => VARIABLE_TYPES.includes(r.type) && holdsTfcCredential(r));
    const sets = new Map(ctx.resources.filter((r) => r.type === 'tfe_variable_set').map((r) => [r.address, r]));
    const globalHits = [...sets.values()].filter((set) => set.props.global === true).flatMap((set): VaultHit[] => {
      const held = variables.filter((v) => referenced(v.props.variable_set_id) === set.address).map((v) => String(v.props.key));
      return held.length > 0
        ? [{ address: set.address, message: `is global: every workspace of the organization receives the sensitive ${held.join(', ')}` }]
        : [];
    });
    // The same value given to different workspaces or sets.
    const byValue = new Map<string, TerraformResource[]>();
    for (const v of variables) {
      const key = valueKey(v.props.value);
      if (key !== undefined) byValue.set(key, [...(byValue.get(key) ?? []), v]);
    }
    const sharedHits = [...byValue.values()].flatMap((group): VaultHit[] => {
      const holders = new Set(group.map((v) => referenced(v.props.workspace_id) ?? referenced(v.props.variable_set_id) ?? v.address));
      if (holders.size < 2) return [];
      return group.map((v) => ({ address: v.address, message: `${String(v.props.key)} holds the same credential as ${group.filter((o) => o !== v).map((o) => o.address).join(', ')}: ${holders.size} workspaces or variable sets share it` }));
    });
    return [...globalHits, ...sharedHits, ...sharedDocumentHits(ctx.resources)];
  },
});
