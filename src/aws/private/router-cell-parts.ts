import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type { RouterNetwork } from '../router-network';

/**
 * What every router cell of a gateway shares, built once by `LlmGateway`: the network (endpoints
 * and security groups), the code asset, and the code signing config.
 */
export interface RouterCellParts {
  readonly network: RouterNetwork;
  readonly code: lambda.Code;
  readonly codeSigningConfig?: lambda.ICodeSigningConfig;
}

const PARTS = new WeakMap<object, RouterCellParts>();

/** Gives a cell's props the shared parts, and returns them. */
export function withCellParts<T extends object>(props: T, parts: RouterCellParts): T {
  PARTS.set(props, parts);
  return props;
}

/** The shared parts given with these props; none for a RouterFunction built on its own. */
export function cellPartsOf(props: object): RouterCellParts | undefined {
  return PARTS.get(props);
}
