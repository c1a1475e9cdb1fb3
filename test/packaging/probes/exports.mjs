// ES modules see the package's export names through Node's static scan of CommonJS.
import * as gateward from 'gateward';
import { GatewayAwsPlane, GatewayVaultPlane } from 'gateward';
console.log(JSON.stringify({ names: Object.keys(gateward), named: [typeof GatewayAwsPlane, typeof GatewayVaultPlane] }));
