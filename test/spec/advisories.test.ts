import { exampleSpec } from '../../examples/bedrock-gateway/spec';
import { GatewaySpecAdvisor, GatewaySpecValidator } from '../../src';
import { specWith, validSpec } from '../fixtures/specs';

describe('advisory warnings with stable ids', () => {
  test('the example and the fixture have none', () => {
    expect(GatewaySpecAdvisor.warnings(exampleSpec)).toEqual([]);
    expect(GatewaySpecAdvisor.warnings(validSpec())).toEqual([]);
  });

  test('a foundation model unknown to the bundled catalogue is a warning, not an error', () => {
    const spec = specWith((s) => { s.tenants[0].foundationModels.push('anthropic.claude-3-5-haiku-20241022-v9:0'); });
    expect(GatewaySpecValidator.problems(spec)).toEqual([]);
    expect(GatewaySpecAdvisor.warnings(spec)).toEqual([{
      id: 'gateward:spec:unknown-bedrock-model',
      path: 'tenants[0].foundationModels[1]',
      message: expect.stringMatching(/^the foundation model "anthropic\.claude-3-5-haiku-20241022-v9:0" is not in the bundled Bedrock model catalogue/),
    }]);
  });

  test('so is an inference profile whose model is unknown', () => {
    const spec = specWith((s) => { s.tenants[1].inferenceProfiles[0].id = 'us.anthropic.claude-sonet-4-20250514-v1:0'; });
    expect(GatewaySpecAdvisor.warnings(spec)).toEqual([expect.objectContaining({ id: GatewaySpecAdvisor.UNKNOWN_BEDROCK_MODEL, path: 'tenants[1].inferenceProfiles[0].id' })]);
  });

  test('a generic service-account audience is a warning', () => {
    const spec = specWith((s) => { s.tenants[0].workloads[1].eksServiceAccount.audience = 'vault'; });
    expect(GatewaySpecAdvisor.warnings(spec)).toEqual([{
      id: 'gateward:spec:generic-token-audience',
      path: 'tenants[0].workloads[1].eksServiceAccount.audience',
      message: expect.stringContaining('leave audience out for the gateway\'s own ("gateward:test-gw")'),
    }]);
  });

  test('never throws on malformed input', () => {
    for (const input of [undefined, null, 42, 'x', [], { tenants: 'x' }, { tenants: [null, 1, { foundationModels: [1, null], inferenceProfiles: [null, { id: 3 }], workloads: [{ eksServiceAccount: 'x' }] }] }]) {
      expect(() => GatewaySpecAdvisor.warnings(input as any)).not.toThrow();
    }
  });
});
