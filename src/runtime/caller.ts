import { RoutedWorkload, RouterRoutes } from '../contract/router-routes';

/** The signed identity API Gateway passes with an `AWS_IAM`-authorized request. */
export interface SignedIdentity {
  /** e.g. `arn:aws:sts::444455556666:assumed-role/support-bot-prod/i-0abc` */
  readonly userArn?: string | null;
}

const ASSUMED_ROLE = /^arn:([\w-]+):sts::(\d{12}):assumed-role\/([\w+=,.@-]+)\/[\w+=,.@-]+$/;

/** IAM role names are unique per account regardless of case. */
const roleKey = (account: string, roleName: string) => `${account}/${roleName.toLowerCase()}`;

/**
 * The workloads of a routing table by role, built once per routing table, so resolving a caller
 * costs one lookup however many tenants and workloads the gateway has.
 */
export class CallerIndex {
  private readonly byRole = new Map<string, RoutedWorkload[]>();
  private readonly partition: string;

  constructor(routes: RouterRoutes) {
    this.partition = routes.partition;
    for (const workload of routes.workloads) {
      const key = roleKey(workload.account, workload.roleName);
      const list = this.byRole.get(key);
      if (list) list.push(workload);
      else this.byRole.set(key, [workload]);
    }
  }

  /**
   * The workload a signed caller is, or undefined. A role session's ARN names the role without its
   * path, and role names are unique within an account, so account and name identify the role.
   * Anything but a role session (an IAM user, a root or federated user) is not a workload.
   */
  public workloadOf(identity: SignedIdentity): RoutedWorkload | undefined {
    const match = ASSUMED_ROLE.exec(identity.userArn ?? '');
    if (!match) return undefined;
    const [, partition, account, roleName] = match;
    if (partition !== this.partition) return undefined;
    // An ambiguous match is no match.
    const matches = this.byRole.get(roleKey(account, roleName));
    return matches?.length === 1 ? matches[0] : undefined;
  }
}

const indexes = new WeakMap<RouterRoutes, CallerIndex>();

/** The workload a signed caller is in `routes`, or undefined (see `CallerIndex.workloadOf`). */
export function workloadOfCaller(identity: SignedIdentity, routes: RouterRoutes): RoutedWorkload | undefined {
  let index = indexes.get(routes);
  if (!index) {
    index = new CallerIndex(routes);
    indexes.set(routes, index);
  }
  return index.workloadOf(identity);
}
