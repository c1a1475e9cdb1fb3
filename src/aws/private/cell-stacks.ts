import { App, CfnElement, CfnResource, Stack, Stage, Tags, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { assertSpecEnvironment } from './environment-rule';
import { GatewayBlueprint } from '../../spec/blueprint';

/** How many cell stacks a plane spreads its tenants over unless configured. */
export const DEFAULT_CELL_STACK_COUNT = 256;
/** CloudFormation's resources per stack, which CDK enforces unless `@aws-cdk/core:stackResourceLimit` says otherwise. */
const DEFAULT_STACK_RESOURCE_LIMIT = 500;
const STACK_RESOURCE_LIMIT_CONTEXT = '@aws-cdk/core:stackResourceLimit';
/** The most cell stacks a plane may have (a region holds 2,000 stacks by default). */
export const MAX_CELL_STACK_COUNT = 1000;

/** The part of a tenant's cell a construct belongs to: the plane's identities and keys, or the gateway's compute and API. */
export type CellPart = 'Plane' | 'Gateway';

/**
 * The cell stack a tenant's resources live in: a pure function of the tenant id and the number of
 * cell stacks, so adding or removing a tenant never moves another tenant's resources (which
 * CloudFormation would replace). FNV-1a spreads ids evenly and is the same on every machine.
 */
export function cellStackIndex(tenantId: string, count: number): number {
  // FNV-1a, 32 bits: xor each byte in, multiply by the FNV prime, modulo 2^32. It is defined
  // with bit operations, so they are spelled as such here.
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(tenantId, 'utf8')) {
    // eslint-disable-next-line no-bitwise
    hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  }
  return hash % count;
}

/** The suffix of a cell stack's name and id: its index, zero-padded so the names sort. */
export function cellStackSuffix(index: number): string {
  return `cells-${String(index).padStart(3, '0')}`;
}

/**
 * A cell stack. Synthesis asks for an element's logical id each time it resolves a reference to it
 * (finding cross-stack references, writing the template, the tree, validation), and CDK derives it
 * anew every time from the element's construct path with an MD5 hash. The path never changes, so
 * the derived id is kept per element; renames (`renameLogicalId`) still apply on every call, after it.
 */
class CellStack extends Stack {
  private allocatedLogicalIds?: WeakMap<CfnElement, string>;

  protected allocateLogicalId(element: CfnElement): string {
    this.allocatedLogicalIds ??= new WeakMap();
    let id = this.allocatedLogicalIds.get(element);
    if (id === undefined) {
      id = super.allocateLogicalId(element);
      this.allocatedLogicalIds.set(element, id);
    }
    return id;
  }
}

/**
 * The one place that decides where a gateway's tenant cells live. The plane's own stack holds
 * what every tenant shares (the policy store, the audit sinks, the broker, the verifier, the
 * network, the web ACL); each tenant's cell (router role and function, target roles, provider
 * keys, Cedar policies, key-age alarms, and the API that serves it) lives in cell stack
 * `<plane stack>-cells-<nnn>`, picked by `cellStackIndex`. Cell stacks are siblings of the plane's
 * stack in its app or stage, deploy to the same environment, and depend on it alone; the
 * shared stack never references a cell, so there is no cycle and no chain through tenants.
 */
export class CellStacks {
  private readonly stacks = new Map<number, Stack>();

  constructor(
    private readonly planeStack: Stack,
    private readonly blueprint: GatewayBlueprint,
    public readonly count: number,
  ) {}

  /** The cell stack of a tenant, created the first time it is needed. */
  public stackOf(tenantId: string): Stack {
    const index = cellStackIndex(tenantId, this.count);
    let stack = this.stacks.get(index);
    if (!stack) {
      stack = this.create(index);
      this.stacks.set(index, stack);
    }
    return stack;
  }

  /** The scope a part of a tenant's cell is built in (`<cell stack>/<part>/Tenant-<id>`). */
  public scopeOf(tenantId: string, part: CellPart): Construct {
    const partScope = this.partOf(this.stackOf(tenantId), part);
    const id = `Tenant-${tenantId}`;
    return (partScope.node.tryFindChild(id) as Construct | undefined) ?? new Construct(partScope, id);
  }

  /** The scope of one part in a cell stack (`<cell stack>/<part>`), for what the part shares within the stack. */
  public partOf(stack: Stack, part: CellPart): Construct {
    return (stack.node.tryFindChild(part) as Construct | undefined) ?? new Construct(stack, part);
  }

  /** The suffix that names a cell stack (`cells-<nnn>`). */
  public suffixOf(stack: Stack): string {
    const index = [...this.stacks.entries()].find(([, s]) => s === stack)?.[0];
    if (index === undefined) throw new Error(`${stack.node.path} is not a cell stack of gateway ${this.blueprint.name}`);
    return cellStackSuffix(index);
  }

  /** The cell stacks created so far, in index order. */
  public get all(): Stack[] {
    return [...this.stacks.entries()].sort(([a], [b]) => a - b).map(([, stack]) => stack);
  }

  /**
   * A cell stack over CloudFormation's resources-per-stack limit fails synthesis with what it
   * holds per tenant and the fix, before CDK's own count (which names only resource types).
   */
  private overfull(stack: Stack): string[] {
    const configured = stack.node.tryGetContext(STACK_RESOURCE_LIMIT_CONTEXT);
    const limit = configured === undefined ? DEFAULT_STACK_RESOURCE_LIMIT : parseInt(String(configured), 10);
    if (!(limit > 0)) return [];
    const byTenant = new Map<string, number>();
    let total = 0;
    for (const construct of stack.node.findAll()) {
      if (!CfnResource.isCfnResource(construct) || Stack.of(construct) !== stack) continue;
      total++;
      // `<cell stack>/<part>/Tenant-<id>/...`; anything else is shared by the stack's tenants.
      const scopes = construct.node.scopes;
      const tenant = /^Tenant-(.+)$/.exec(scopes[scopes.indexOf(stack) + 2]?.node.id ?? '')?.[1] ?? '';
      byTenant.set(tenant, (byTenant.get(tenant) ?? 0) + 1);
    }
    if (total <= limit) return [];
    const shared = byTenant.get('') ?? 0;
    byTenant.delete('');
    const tenants = [...byTenant.entries()].sort(([a, x], [b, y]) => y - x || a.localeCompare(b));
    return [
      `Cell stack ${stack.stackName} would hold ${total} resources; CloudFormation allows ${limit} in a stack. `
      + `Its ${tenants.length} tenants: ${tenants.map(([id, n]) => `${id} (${n})`).join(', ')}; ${shared} shared by the stack. `
      + `Fix: raise props.cellStackCount (now ${this.count}) so fewer tenants share a stack, choosing it before the first deployment `
      + '(changing it moves most tenants, which CloudFormation replaces), or give the largest tenants fewer keys, workloads or grants.',
    ];
  }

  private create(index: number): Stack {
    const suffix = cellStackSuffix(index);
    const plane = this.planeStack;
    const stage = Stage.of(plane) ?? App.of(plane);
    if (!stage) throw new Error(`The stack ${plane.node.path} of gateway ${this.blueprint.name}'s plane is in no app or stage.`);
    const stack = new CellStack(stage, `${plane.node.id}-${suffix}`, {
      stackName: `${plane.stackName}-${suffix}`,
      env: {
        account: Token.isUnresolved(plane.account) ? undefined : plane.account,
        region: Token.isUnresolved(plane.region) ? undefined : plane.region,
      },
      description: `gateward ${this.blueprint.name}: tenant cells of ${suffix} (router cells, target roles, provider keys, their API)`,
      terminationProtection: plane.terminationProtection,
    });
    stack.addStackDependency(plane, 'the tenant cells use the shared policy store, audit sinks, broker and network');
    stack.node.addValidation({ validate: () => this.overfull(stack) });
    assertSpecEnvironment(stack, this.blueprint);
    for (const [key, value] of Object.entries(this.blueprint.ownershipTags())) {
      Tags.of(stack).add(key, value);
    }
    return stack;
  }
}
