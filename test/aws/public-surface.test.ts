import * as gateward from '../../src';

// The package exports what users build with; the building blocks that only the AWS plane
// composes stay in their modules, so the plane is the one entry point that validates their inputs.

const PUBLIC = ['GatewayAwsPlane', 'LlmGateway', 'RouterFunction', 'RouterCodeSigning', 'GatewayApi', 'RouterRole', 'VaultConnection', 'VaultServerIdentity',
  'ProviderKeyRotation', 'AuditLockMode', 'GatewayValidationError', 'GatewayGuardrails', 'GuardrailPolicyType'];
const PLANE_ONLY = ['BrokerRole', 'TargetRole', 'VaultAuthVerifier', 'AuditBuckets', 'AuditTrail', 'DecisionLog', 'AuditSinks', 'KeyAgeMonitor',
  'ProviderKeySecret', 'GatewayPolicyStore', 'ProviderKeyRotationMode', 'RouterNetwork'];

test.each(PUBLIC)('%s is exported', (name) => {
  expect(Object.keys(gateward)).toContain(name);
});

test.each(PLANE_ONLY)('%s is not exported: only the plane builds it', (name) => {
  expect(Object.keys(gateward)).not.toContain(name);
});
