import { RoutedWorkload, RouterRoutes } from '../contract/router-routes';

/** The signed identity API Gateway passes with an `AWS_IAM`-authorized request. */
export interface SignedIdentity {
  /** e.g. `arn:aws:sts::444455556666:assumed-role/support-bot-prod/i-0abc` */
  readonly userArn?: string | null;
}

const ASSUMED_ROLE = /^arn:([\w-]+):sts::(\d{12}):assumed-role\/([\w+=,.@-]+)\/[\w+=,.@-]+$/;

/**
 * The workload a signed caller is, or undefined. A role session's ARN names the role without its
 * path, and role names are unique within an account, so account and name identify the role.
 * Anything but a role session (an IAM user, a root or federated user) is not a workload.
 */
export function workloadOfCaller(identity: SignedIdentity, routes: RouterRoutes): RoutedWorkload | undefined {
  const match = ASSUMED_ROLE.exec(identity.userArn ?? '');
  if (!match) return undefined;
  const [, partition, account, roleName] = match;
  if (partition !== routes.partition) return undefined;
  // IAM role names are unique per account regardless of case; an ambiguous match is no match.
  const matches = routes.workloads.filter((w) => w.account === account && w.roleName.toLowerCase() === roleName.toLowerCase());
  return matches.length === 1 ? matches[0] : undefined;
}
