// Builds a Vault plane from the installed gateward package with cdktf, synthesizes it into
// argv[2] and prints what it built and which packages the process loaded.
const { GatewayVaultPlane, VaultProviderLogin } = require('gateward');
const { App, TerraformStack } = require('cdktf');
const loadedPackages = require('./loaded-packages');
const spec = require('./tiny-spec.json');

const app = new App({ outdir: process.argv[2], stackTraces: false });
new GatewayVaultPlane(new TerraformStack(app, 'probe-vault'), 'Gateway', {
  spec,
  providerLogin: VaultProviderLogin.aws({ role: 'platform-pipeline' }),
});
app.synth();
const stackJson = require(require('path').join(process.argv[2], 'stacks', 'probe-vault', 'cdk.tf.json'));
console.log(JSON.stringify({ types: Object.keys(stackJson.resource ?? {}), packages: loadedPackages() }));
