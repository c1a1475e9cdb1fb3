import { Actor } from './aws-access';
import { PolicyDocumentJson, StatementJson } from '../../nhi/private/cfn-template';
import { arnAccount } from '../iam/arn-pattern';

/**
 * Resources indexed by the principals their Allow statements name (an ARN, an account, `*`): a
 * resource, trust or key policy grants nothing to a principal none of its Allow statements names,
 * so only these need evaluating for it.
 */
export class PrincipalIndex<T> {
  private readonly byKey = new Map<string, T[]>();

  constructor(items: T[], policyOf: (item: T) => PolicyDocumentJson | undefined) {
    for (const item of items) {
      for (const key of new Set(allowedPrincipalKeys(policyOf(item)))) {
        const list = this.byKey.get(key) ?? [];
        list.push(item);
        this.byKey.set(key, list);
      }
    }
  }

  /** The items whose policies may grant something to the actor. */
  public candidates(actor: Actor): T[] {
    const account = arnAccount(actor.arn) ?? '';
    return [...new Set([...(this.byKey.get(actor.arn) ?? []), ...(this.byKey.get(`account:${account}`) ?? []), ...(this.byKey.get('*') ?? [])])];
  }
}

export function allowedPrincipalKeys(policy: PolicyDocumentJson | undefined): string[] {
  const keys: string[] = [];
  for (const statement of (policy?.Statement ?? []) as StatementJson[]) {
    if (statement.Effect !== 'Allow') continue;
    // NotPrincipal, or a principal the index cannot read: anyone may be meant.
    if (statement.NotPrincipal !== undefined || statement.Principal === '*') {
      keys.push('*');
      continue;
    }
    for (const [kind, names] of Object.entries((statement.Principal ?? {}) as Record<string, unknown>)) {
      if (kind !== 'AWS') continue;
      for (const name of [names].flat().map(String)) {
        const account = /^\d{12}$/.test(name) ? name : /^arn:[^:]+:iam::(\d{12}):root$/.exec(name)?.[1];
        keys.push(name === '*' ? '*' : account ? `account:${account}` : name);
      }
    }
  }
  return keys;
}
