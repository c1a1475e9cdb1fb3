import { AssemblyModel, AssemblyStack, resourcesOf } from './assembly';
import { literalOf, referencesIn, TemplateEnvironment } from './intrinsics';

/** Why one node waits for another. */
export type EdgeKind =
  | 'DependsOn'
  | 'Ref'
  | 'Fn::GetAtt'
  | 'Fn::Sub'
  | 'Fn::ImportValue'
  | 'nested-stack parameter'
  | 'nested-stack output'
  | 'nested stack'
  | 'stack dependency';

/** A resource (weight 1), or a point that only orders others (weight 0): a stack's start or completion. */
export interface GraphNode {
  readonly id: string;
  readonly stackName: string;
  readonly logicalId: string;
  readonly type: string;
  readonly weight: 0 | 1;
}

/** "`from` is created after `to`". */
export interface GraphEdge {
  readonly to: string;
  readonly kind: EdgeKind;
}

/** The creation order CloudFormation must follow across every stack of an assembly. */
export interface DependencyGraph {
  readonly nodes: Map<string, GraphNode>;
  readonly edges: Map<string, GraphEdge[]>;
  /** Imports whose export no stack of the assembly provides. */
  readonly unresolvedImports: string[];
}

/** One step of a chain, in creation order; `kind` is why it waits for the step before it. */
export interface ChainStep {
  readonly stackName: string;
  readonly logicalId: string;
  readonly type: string;
  readonly kind?: EdgeKind;
}

/** The longest chain of resources, each created after the one before. */
export interface DependencyChain {
  /** Resources on the chain. */
  readonly length: number;
  /** The chain in creation order (first created first). */
  readonly path: ChainStep[];
  /** Edges left out because they closed a cycle (CloudFormation would refuse the template). */
  readonly cycles: string[];
}

const resourceId = (stack: AssemblyStack, logicalId: string) => `${stack.key}#${logicalId}`;
const startId = (stack: AssemblyStack) => `${stack.key}#<start>`;
const doneId = (stack: AssemblyStack) => `${stack.key}#<done>`;

/**
 * Every resource of the assembly with what it waits for: `DependsOn`, `Ref`, `Fn::GetAtt`,
 * `Fn::Sub` references, `Fn::ImportValue` to the resources the export is made of, nested-stack
 * parameters (to what the parent passes) and outputs (to the nested stack, which completes after
 * all its resources), and the stack dependencies of the manifest (every resource of a stack after
 * every resource of the stacks it depends on).
 */
export function dependencyGraph(model: AssemblyModel): DependencyGraph {
  const nodes = new Map<string, GraphNode>();
  const edges = new Map<string, GraphEdge[]>();
  const unresolvedImports: string[] = [];
  const byKey = new Map(model.stacks.map((s) => [s.key, s]));
  const envOf = (stack: AssemblyStack): TemplateEnvironment => ({ account: stack.account, region: stack.region, stackName: stack.stackName });
  const addEdge = (from: string, to: string, kind: EdgeKind) => {
    if (from === to) return;
    const list = edges.get(from) ?? [];
    list.push({ to, kind });
    edges.set(from, list);
  };

  // Exports by account, region and name: what each is made of.
  const exportsByName = new Map<string, { stack: AssemblyStack; value: unknown }>();
  for (const stack of model.stacks) {
    for (const output of Object.values((stack.template.Outputs ?? {}) as Record<string, any>)) {
      const name = output.Export ? literalOf(output.Export.Name, envOf(stack)) : undefined;
      if (name) exportsByName.set(`${stack.account}/${stack.region}/${name}`, { stack, value: output.Value });
    }
  }

  for (const stack of model.stacks) {
    nodes.set(startId(stack), { id: startId(stack), stackName: stack.stackName, logicalId: '<start>', type: 'stack start', weight: 0 });
    nodes.set(doneId(stack), { id: doneId(stack), stackName: stack.stackName, logicalId: '<done>', type: 'stack complete', weight: 0 });
    for (const [logicalId, resource] of Object.entries(resourcesOf(stack.template))) {
      const id = resourceId(stack, logicalId);
      nodes.set(id, { id, stackName: stack.stackName, logicalId, type: String(resource.Type), weight: 1 });
    }
  }

  type Target = { id: string; kind: EdgeKind };
  // The nodes a reference from `stack` to `name` waits for.
  const targetsOf = (stack: AssemblyStack, name: string, attribute: string | undefined, kind: EdgeKind, depth: number): Target[] => {
    const resources = resourcesOf(stack.template);
    if (name in resources) {
      const nested = resources[name].Type === 'AWS::CloudFormation::Stack' && attribute?.startsWith('Outputs.');
      return [{ id: resourceId(stack, name), kind: nested ? 'nested-stack output' : kind }];
    }
    const parameters = (stack.template.Parameters ?? {}) as Record<string, unknown>;
    if (name in parameters && stack.parent) {
      const parent = byKey.get(stack.parent.key)!;
      const passed = resourcesOf(parent.template)[stack.parent.logicalId]?.Properties?.Parameters?.[name];
      return sourcesOf(parent, passed, `${stack.stackName} parameter ${name}`, depth + 1).map((t) => ({ id: t.id, kind: 'nested-stack parameter' as EdgeKind }));
    }
    return [];
  };
  // The nodes a value waits for: what it references, an import's exporting resources, a parameter's source.
  const sourcesOf = (stack: AssemblyStack, value: unknown, where: string, depth = 0): Target[] => {
    if (depth > 16) return [];
    return referencesIn(value, envOf(stack)).flatMap((ref): Target[] => {
      if (ref.kind !== 'Fn::ImportValue') return targetsOf(stack, ref.target, ref.attribute, ref.kind, depth);
      const exported = ref.exportName ? exportsByName.get(`${stack.account}/${stack.region}/${ref.exportName}`) : undefined;
      if (!exported) {
        unresolvedImports.push(`${where}: ${ref.exportName ?? JSON.stringify(ref.expression)}`);
        return [];
      }
      const sources = sourcesOf(exported.stack, exported.value, where, depth + 1);
      return sources.length > 0 ? sources.map((t) => ({ id: t.id, kind: 'Fn::ImportValue' as EdgeKind })) : [{ id: doneId(exported.stack), kind: 'Fn::ImportValue' }];
    });
  };

  for (const stack of model.stacks) {
    const start = startId(stack);
    const done = doneId(stack);
    for (const [logicalId, resource] of Object.entries(resourcesOf(stack.template))) {
      const id = resourceId(stack, logicalId);
      addEdge(done, id, 'nested stack');
      for (const dependency of [resource.DependsOn ?? []].flat()) addEdge(id, resourceId(stack, String(dependency)), 'DependsOn');
      const { Metadata: _metadata, DependsOn: _dependsOn, ...rest } = resource;
      for (const target of sourcesOf(stack, rest, `${stack.stackName}/${logicalId}`)) addEdge(id, target.id, target.kind);
      // Last, so that of equally long chains the one through a named reference is shown.
      addEdge(id, start, 'stack dependency');
    }
    if (stack.parent) {
      // A nested stack starts when its resource in the parent can, and that resource completes after all of it.
      const parent = byKey.get(stack.parent.key)!;
      const resource = resourceId(parent, stack.parent.logicalId);
      for (const edge of edges.get(resource) ?? []) {
        if (edge.to !== startId(parent)) addEdge(start, edge.to, edge.kind === 'DependsOn' ? 'DependsOn' : 'nested-stack parameter');
      }
      addEdge(start, startId(parent), 'stack dependency');
      addEdge(resource, done, 'nested stack');
    }
    for (const dependency of stack.dependencies) {
      const other = byKey.get(dependency);
      if (other) addEdge(start, doneId(other), 'stack dependency');
    }
  }
  return { nodes, edges, unresolvedImports };
}

/**
 * The longest chain of resources in the graph (resources count 1, stack start and completion
 * points 0), optionally over some edge kinds only. Iterative, so chains of any length fit.
 */
export function longestChain(graph: DependencyGraph, kinds?: ReadonlySet<EdgeKind>): DependencyChain {
  const best = new Map<string, number>();
  const next = new Map<string, GraphEdge | undefined>();
  const state = new Map<string, 'open' | 'closed'>();
  const cycles: string[] = [];
  const usable = (edge: GraphEdge) => !kinds || kinds.has(edge.kind);

  for (const root of graph.nodes.keys()) {
    if (state.get(root) === 'closed') continue;
    const stack: Array<{ id: string; index: number }> = [{ id: root, index: 0 }];
    state.set(root, 'open');
    while (stack.length > 0) {
      const frame = stack[stack.length - 1];
      const out = graph.edges.get(frame.id) ?? [];
      if (frame.index < out.length) {
        const edge = out[frame.index++];
        if (!usable(edge) || !graph.nodes.has(edge.to)) continue;
        const seen = state.get(edge.to);
        if (seen === 'open') {
          cycles.push(`${frame.id} -> ${edge.to}`);
        } else if (seen !== 'closed') {
          state.set(edge.to, 'open');
          stack.push({ id: edge.to, index: 0 });
        }
        continue;
      }
      let longest = 0;
      let via: GraphEdge | undefined;
      for (const edge of out) {
        if (!usable(edge) || state.get(edge.to) !== 'closed') continue;
        const length = best.get(edge.to)!;
        if (length > longest) {
          longest = length;
          via = edge;
        }
      }
      best.set(frame.id, graph.nodes.get(frame.id)!.weight + longest);
      next.set(frame.id, via);
      state.set(frame.id, 'closed');
      stack.pop();
    }
  }

  let top: string | undefined;
  for (const [id, length] of best) if (top === undefined || length > best.get(top)!) top = id;
  // From the last created resource down, each with the kind of the edge by which it waits for the next one below.
  const down: Array<{ node: GraphNode; kind?: EdgeKind }> = [];
  for (let id = top; id !== undefined; id = next.get(id)?.to) {
    const node = graph.nodes.get(id)!;
    if (node.weight > 0) down.push({ node });
    const edge = next.get(id);
    const last = down[down.length - 1];
    if (edge && last && last.kind === undefined) last.kind = edge.kind;
  }
  if (down.length > 0) down[down.length - 1].kind = undefined;
  const ordered: ChainStep[] = down.reverse()
    .map(({ node, kind }) => ({ stackName: node.stackName, logicalId: node.logicalId, type: node.type, kind }));
  return { length: top ? best.get(top)! : 0, path: ordered, cycles };
}

/** A chain as one line: the first and last steps when it is long. */
export function formatChain(chain: DependencyChain, keep = 4): string {
  const step = (s: ChainStep) => `${s.kind ? `[${s.kind}] ` : ''}${s.stackName}/${s.logicalId} (${s.type})`;
  const steps = chain.path.length <= keep * 2 + 1
    ? chain.path.map(step)
    : [...chain.path.slice(0, keep).map(step), `... ${chain.path.length - keep * 2} more ...`, ...chain.path.slice(-keep).map(step)];
  return steps.join(' -> ');
}
