import { TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { exampleSpec } from '../../examples/bedrock-gateway/spec';
import { AwsApiEndpoints, GatewayBlueprint, GatewayVaultPlane, VaultProviderLogin } from '../../src';
import { RouterAuth } from '../../src/vault/router-auth';
import { synthesizeVaultPlane } from '../support/vault-example';

const LOGIN = VaultProviderLogin.aws({ role: 'acme-platform-pipeline' });
const planeWith = (awsApiEndpoints?: AwsApiEndpoints) =>
  synthesizeVaultPlane(exampleSpec, (stack, spec) => new GatewayVaultPlane(stack, 'Gateway', { spec, providerLogin: LOGIN, awsApiEndpoints }));
const EMULATOR = 'http://127.0.0.1:5000';

describe('AWS API endpoints of the Vault plane', () => {
  test('unset, the auth method and every AWS secrets engine use the region\'s STS and AWS\'s IAM', () => {
    const example = synthesizeVaultPlane();
    const [client] = Object.values(example.resources('vault_aws_auth_backend_client'));
    expect(client).toMatchObject({ sts_endpoint: 'https://sts.us-east-1.amazonaws.com', sts_region: 'us-east-1' });
    expect(client.iam_endpoint).toBeUndefined();
    const backends = Object.values(example.resources('vault_aws_secret_backend'));
    expect(backends).toHaveLength(2);
    for (const backend of backends) {
      expect(backend.sts_endpoint).toBe('https://sts.us-east-1.amazonaws.com');
      expect(backend.iam_endpoint).toBeUndefined();
    }
  });

  test('set, both the login check and credential issuance go to the emulator', () => {
    const plane = planeWith({ stsEndpoint: EMULATOR, iamEndpoint: EMULATOR, stsRegion: 'us-west-2' });
    const [client] = Object.values(plane.resources('vault_aws_auth_backend_client'));
    expect(client).toMatchObject({ sts_endpoint: EMULATOR, iam_endpoint: EMULATOR, sts_region: 'us-west-2', iam_server_id_header_value: 'vault.acme.example' });
    const backends = Object.values(plane.resources('vault_aws_secret_backend'));
    expect(backends.map((b) => b.path).sort()).toEqual(['acme-llm/research/aws', 'acme-llm/support/aws']);
    for (const backend of backends) {
      expect(backend).toMatchObject({ sts_endpoint: EMULATOR, iam_endpoint: EMULATOR, region: 'us-east-1' });
      // The engine's own sts_region is a Vault 1.19+ field: never written.
      expect(backend.sts_region).toBeUndefined();
    }
  });

  test('https URLs, loopback http in every form, and Terraform references are accepted', () => {
    const variable = new TerraformVariable(new TerraformStack(Testing.app(), 'v'), 'sts', { type: 'string' });
    for (const url of ['https://sts.example.internal', 'https://vpce-0abc.sts.us-east-1.vpce.amazonaws.com:443', 'http://localhost:4566', 'http://127.0.0.2:5000/', 'http://[::1]:5000']) {
      expect(() => planeWith({ stsEndpoint: url, iamEndpoint: url })).not.toThrow();
    }
    expect(() => new RouterAuth(new TerraformStack(Testing.app(), 's'), 'a', {
      blueprint: GatewayBlueprint.fromSpec(exampleSpec), endpoints: { stsEndpoint: variable.stringValue },
    })).not.toThrow();
  });

  test('plain http off loopback, other schemes, credentials, paths, bad regions and unknown keys fail at once, each named', () => {
    const endpoints = { stsEndpoint: 'http://moto.internal:5000', iamEndpoint: 'ftp://iam.example', stsRegion: 'US East', stsEndpont: 'x' };
    let message = '';
    try {
      planeWith(endpoints as AwsApiEndpoints);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/^GatewayVaultPlane "acme-llm" is invalid \(4 problems\):/);
    expect(message).toContain('props.awsApiEndpoints.stsEndpont: is not a field of AwsApiEndpoints (got "stsEndpont"). Fix: did you mean "stsEndpoint"?');
    expect(message).toContain('props.awsApiEndpoints.stsEndpoint: is plain http to a host that is not loopback, so signed AWS requests would travel in clear (got "http://moto.internal:5000")');
    expect(message).toContain('props.awsApiEndpoints.iamEndpoint: uses ftp, not https (got "ftp://iam.example")');
    expect(message).toContain('props.awsApiEndpoints.stsRegion: is not an AWS region name (got "US East")');

    expect(() => planeWith({ stsEndpoint: 'https://user:hunter2@sts.example' })).toThrow(/stsEndpoint: carries credentials.*\(got "https:\/\/\*\*\*@sts\.example"\)/);
    expect(() => planeWith({ stsEndpoint: 'https://user:hunter2@sts.example' })).not.toThrow(/hunter2/);
    expect(() => planeWith({ iamEndpoint: 'https://iam.example/v1?x=1' })).toThrow(/iamEndpoint: has a path, query or fragment/);
    expect(() => planeWith({ iamEndpoint: 'not a url' })).toThrow(/iamEndpoint: is not a URL/);
  });

  // The engines no longer re-check the endpoints the plane passes them: the plane checks them once.
  test('the plane checks the endpoints it passes to the engines', () => {
    expect(() => planeWith({ stsEndpoint: 'http://10.0.0.5:5000' }))
      .toThrow(/GatewayVaultPlane "acme-llm" is invalid \(1 problem\):\n {2}- props\.awsApiEndpoints\.stsEndpoint: is plain http/);
  });
});
