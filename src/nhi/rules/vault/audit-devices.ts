import { NhiSeverity, OwaspNhi } from '../../finding';
import { VAULT_FIXTURES, vaultRule } from '../rule';
import { managesWholeVault, VaultCheckContext, vaultProviderBlocks } from '../support/vault';

/** `${vault_namespace.x.path}` (or `path_fq`, `id`): a namespace the configuration creates. */
const CREATED_NAMESPACE = /^\$\{vault_namespace\.([A-Za-z0-9_-]+)(?:\[[^\]]+\])?\.(?:path|path_fq|id)\}$/;

/**
 * True when the configuration works inside a Vault namespace: its provider logs in to one, or
 * most auth methods and mounts it defines set `namespace`. Audit devices are enabled in the root
 * namespace only (on HCP Vault, on the platform), so a namespace's configuration cannot own them.
 * Mounts in namespaces the configuration itself creates from the root are the root's when it
 * creates several: whoever lays out a Vault's tenants manages the Vault (a module that creates
 * one namespace and fills it is a tenant's).
 */
function worksInsideNamespace(ctx: VaultCheckContext): boolean {
  const blocks = vaultProviderBlocks(ctx.config);
  if (blocks.length > 0 && blocks.every((b) => b?.namespace !== undefined && b.namespace !== '' && b.namespace !== 'root')) return true;
  const isRoot = (namespace: unknown) => namespace === undefined || namespace === '' || namespace === 'root';
  // Each instance of a `for_each` or `count` is a namespace of its own.
  const namespaces = ctx.resources.filter((r) => r.type === 'vault_namespace' && isRoot(r.props.namespace));
  const createdFromRoot = new Set(namespaces.length > 1 ? namespaces.map((r) => /vault_namespace\.([A-Za-z0-9_-]+)(?:\[[^\]]*\])?$/.exec(r.address)?.[1]) : []);
  const inNamespace = (namespace: unknown) => !isRoot(namespace)
    && !(typeof namespace === 'string' && createdFromRoot.has(CREATED_NAMESPACE.exec(namespace)?.[1]));
  const defining = ctx.resources.filter((r) => /^vault_([a-z0-9_]+_)?(auth_backend|secret_backend|secrets_mount)$/.test(r.type) || r.type === 'vault_mount');
  const inside = defining.filter((r) => inNamespace(r.props.namespace));
  return defining.length > 0 && inside.length * 2 > defining.length;
}

/**
 * True for a reusable module: it configures no Vault provider (its caller does) and mounts at most
 * two auth methods and secrets engines (one integration's JWT auth and engine, say). It adds
 * to a Vault someone else manages, where the audit devices are configured, so it cannot own them.
 */
function isPartialModule(ctx: VaultCheckContext): boolean {
  if (ctx.config.provider?.vault !== undefined) return false;
  const defining = ctx.resources.filter((r) => /^vault_([a-z0-9_]+_)?(auth_backend|secret_backend|secrets_mount)$/.test(r.type) || r.type === 'vault_mount');
  return defining.length <= 2;
}

export const VaultAuditDevices = vaultRule({
  id: 'NHI-VAULT-AUDIT-DEVICES',
  title: 'No audit device in a configuration that manages the Vault (a single device type is a note)',
  nhi: OwaspNhi.NHI10,
  nist: ['AU-2', 'AU-9'],
  severity: NhiSeverity.MEDIUM,
  fix: 'enable at least two audit devices of different types (file and socket or syslog)',
  fixtures: VAULT_FIXTURES,
  // Only a configuration that defines auth methods and mounts outside any namespace, or audit
  // devices itself, owns the Vault's audit devices; one that manages a few roles on a shared
  // Vault, a namespace of it, or a reusable module with one or two mounts, does not.
  check: (ctx) => {
    const audits = ctx.resources.filter((r) => r.type === 'vault_audit');
    if ((!managesWholeVault(ctx) || worksInsideNamespace(ctx) || isPartialModule(ctx)) && audits.length === 0) return [];
    const types = new Set(audits.map((a) => String(a.props.type)));
    if (audits.length >= 2 && types.size >= 2) return [];
    if (audits.length === 0) return [{ message: 'defines no audit device: requests to this Vault leave no record' }];
    // A Vault that records its requests has an audit trail; a second device of another type only
    // keeps Vault answering when one of them fails, so one device (or several of one type) is a note.
    return [{
      severity: NhiSeverity.INFO,
      message: `defines ${audits.length} audit device${audits.length === 1 ? '' : 's'} of ${types.size} type${types.size === 1 ? '' : 's'} `
        + `(${[...types].join(', ')}): Vault stops answering when its only device type cannot write; a second type keeps it available`,
    }];
  },
});
