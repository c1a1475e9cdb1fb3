import * as fs from 'fs';
import * as path from 'path';
import { FileSystem } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { routerRoutes } from './router-routes-builder';
import { ROUTES_FILE } from '../../contract/router-routes';
import { GatewayBlueprint } from '../../spec/blueprint';

/** Where the build puts the router's bundle (the same relative place from `src/` and `lib/`). */
const ROUTER_BUNDLE = path.join(__dirname, '..', '..', '..', 'assets', 'runtime', 'handler', 'index.js');

/**
 * The router's code: the prebuilt bundle, and next to it the routing table derived from the
 * spec (every tenant's: each cell reads its own tenant's part). Both are part of the asset, so a
 * change to either is a new deployment. One instance serves every cell of a gateway: CDK binds it
 * to one asset, uploaded once, however many functions use it.
 */
export function routerCode(blueprint: GatewayBlueprint): lambda.Code {
  return lambda.Code.fromAsset(routerCodeDirectory(blueprint));
}

/**
 * The staged directory of the router's code: the bundle and the routing table. A `Code` binds to
 * one stack, so each cell stack makes its own from this one directory; the asset is the same,
 * uploaded once.
 */
export function routerCodeDirectory(blueprint: GatewayBlueprint): string {
  if (!fs.existsSync(ROUTER_BUNDLE)) {
    throw new Error(`The router's bundle is missing at ${ROUTER_BUNDLE}. It ships with the package; in a checkout of gateward, build it with "npx projen bundle".`);
  }
  const staging = FileSystem.mkdtemp('gateward-router');
  fs.copyFileSync(ROUTER_BUNDLE, path.join(staging, 'index.js'));
  fs.writeFileSync(path.join(staging, ROUTES_FILE), `${JSON.stringify(routerRoutes(blueprint), undefined, 2)}\n`);
  return staging;
}
