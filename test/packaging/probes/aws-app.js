// Builds an AWS plane (and with "gateway", an LlmGateway on it) from the installed gateward
// package, synthesizes it into argv[3] and prints what it built and which packages it loaded.
const { GatewayAwsPlane, LlmGateway, VaultConnection, VaultServerIdentity } = require('gateward');
const { App, Stack } = require('aws-cdk-lib');
const loadedPackages = require('./loaded-packages');
const spec = require('./tiny-spec.json');

const withGateway = process.argv[2] === 'gateway';
const app = new App({ outdir: process.argv[3] });
const stack = new Stack(app, 'Probe', { env: { account: spec.aws.account, region: spec.aws.region } });
const plane = new GatewayAwsPlane(stack, 'Gateway', {
  spec,
  vaultServer: VaultServerIdentity.fromRoleArn('arn:aws:iam::123456789012:role/vault-server'),
});
if (withGateway) {
  const ec2 = require('aws-cdk-lib/aws-ec2');
  const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
    vpcId: 'vpc-0a1b2c3d4e5f60718',
    vpcCidrBlock: '10.40.0.0/16',
    availabilityZones: ['us-east-1a', 'us-east-1b'],
    privateSubnetIds: ['subnet-0a1b2c3d4e5f60001', 'subnet-0a1b2c3d4e5f60002'],
    privateSubnetRouteTableIds: ['rtb-0a1b2c3d4e5f60001', 'rtb-0a1b2c3d4e5f60002'],
  });
  new LlmGateway(stack, 'LlmGateway', { plane, vpc, vaultConnection: VaultConnection.fromPeer(ec2.Peer.ipv4('10.50.0.0/16'), 8200) });
}
const template = app.synth().getStackByName('Probe').template;
const types = Object.values(template.Resources).map((resource) => resource.Type);
console.log(JSON.stringify({ types, packages: loadedPackages() }));
