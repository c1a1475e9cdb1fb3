import * as fs from 'fs';
import Ajv from 'ajv';
import { exampleSpec } from '../../examples/bedrock-gateway/spec';
import { GATEWAY_SPEC_SCHEMA } from '../../src/spec/private/spec-schema';
import { validSpec } from '../fixtures/specs';
import { generateSpecSchema, SCHEMA_FILE, schemaFileText, SCHEMA_MODULE, schemaModuleText, SPEC_SOURCE } from './support/spec-schema-generator';

// The JSON Schema is generated from the TypeScript declarations and committed twice: for
// pipelines (schema/) and for the validator's known-key lists (src/spec/private). Regenerate
// with `npx ts-node test/spec/support/spec-schema-generator.ts`.
describe('the committed JSON Schema', () => {
  const generated = generateSpecSchema();

  test('matches the types in gateway-spec.ts (regenerate it when they change)', () => {
    expect(fs.readFileSync(SCHEMA_FILE, 'utf8')).toEqual(schemaFileText(generated));
  });

  test('is the schema the validator reads its known fields from', () => {
    expect(fs.readFileSync(SCHEMA_MODULE, 'utf8')).toEqual(schemaModuleText(generated));
    expect(GATEWAY_SPEC_SCHEMA).toEqual(generated);
  });

  test('drift fails: a field added to a struct changes the schema', () => {
    const source = fs.readFileSync(SPEC_SOURCE, 'utf8').replace(
      'export interface SuspensionSpec {',
      'export interface SuspensionSpec {\n  /** Suspended tools. */\n  readonly tools?: string[];',
    );
    const changed = generateSpecSchema(source) as any;
    expect(Object.keys(changed.definitions.SuspensionSpec.properties)).toEqual(['tools', 'tenants', 'workloads']);
    expect(schemaFileText(changed)).not.toEqual(fs.readFileSync(SCHEMA_FILE, 'utf8'));
  });

  test('covers every struct and enum, closed to unknown fields, with required fields', () => {
    const definitions = generated.definitions as Record<string, any>;
    expect(Object.keys(definitions)).toEqual([
      'AwsEnvironment', 'DataAccess', 'DataStoreEngine', 'DataStoreSpec', 'EksServiceAccountSpec', 'GatewayOwners', 'GatewaySpec',
      'GuardrailSpec', 'InferenceProfileSpec', 'OwnerSpec', 'ProviderKeySpec', 'SuspensionSpec', 'TenantSpec', 'TtlBounds', 'TtlPolicy', 'VaultEdition',
      'VaultServerSpec', 'WorkloadSpec',
    ]);
    for (const definition of Object.values(definitions)) {
      if (definition.type === 'object') expect(definition.additionalProperties).toBe(false);
    }
    expect(definitions.GatewaySpec.required).toEqual(['name', 'aws', 'owners', 'tenants']);
    expect(definitions.TenantSpec.properties.workloads).toMatchObject({ type: 'array', items: { $ref: '#/definitions/WorkloadSpec' } });
    expect(definitions.GuardrailSpec.required).toEqual(['id']);
    expect(definitions.GatewaySpec.properties.sessionTags).toMatchObject({ type: 'boolean' });
    expect(definitions.VaultEdition.enum).toEqual(['community', 'enterprise']);
  });

  describe('validated by a JSON Schema engine (Ajv)', () => {
    const ajv = new Ajv({ allErrors: true });
    const validate = ajv.compile(JSON.parse(fs.readFileSync(SCHEMA_FILE, 'utf8')));
    const asJson = (value: unknown) => JSON.parse(JSON.stringify(value));

    test('the example gateway and the test fixture conform', () => {
      expect(validate(asJson(exampleSpec))).toBe(true);
      expect(validate(asJson(validSpec()))).toBe(true);
    });

    test('a misspelt field, a wrong type and a bad enum value do not', () => {
      const spec = asJson(exampleSpec);
      spec.suspend = { workloads: ['support-bot'] };
      spec.tenants[0].workloads[0].roleArn = 42;
      spec.vault.edition = 'pro';
      expect(validate(spec)).toBe(false);
      const errors = (validate.errors ?? []).map((e) => `${e.dataPath} ${e.message}`);
      expect(errors).toEqual(expect.arrayContaining([
        ' should NOT have additional properties',
        '.tenants[0].workloads[0].roleArn should be string',
        '.vault.edition should be equal to one of the allowed values',
      ]));
    });
  });
});
