import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { stringify } from 'yaml';
import { exampleSpec } from '../../examples/bedrock-gateway/spec';
import { GatewayBlueprint, GatewaySpecLoader, SpecFormat } from '../../src';
import { SCHEMA_FILE } from './support/spec-schema-generator';

const asJson = (value: unknown) => JSON.parse(JSON.stringify(value));

function caught(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

describe('GatewaySpecLoader', () => {
  let dir: string;
  beforeAll(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gateward-spec-')); });
  afterAll(() => { fs.rmSync(dir, { recursive: true, force: true }); });
  const write = (name: string, text: string) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    return file;
  };

  describe('loads the example from every form', () => {
    test.each([
      ['a YAML file', () => GatewaySpecLoader.fromFile(write('spec.yaml', stringify(asJson(exampleSpec))))],
      ['a .yml file', () => GatewaySpecLoader.fromFile(write('spec.yml', stringify(asJson(exampleSpec))))],
      ['a JSON file', () => GatewaySpecLoader.fromFile(write('spec.json', JSON.stringify(exampleSpec, undefined, 2)))],
      ['a JSON string', () => GatewaySpecLoader.fromString(JSON.stringify(exampleSpec))],
      ['a YAML string', () => GatewaySpecLoader.fromString(stringify(asJson(exampleSpec)))],
      ['a file of another name with the format given', () => GatewaySpecLoader.fromFile(write('gateway.spec', stringify(asJson(exampleSpec))), SpecFormat.YAML)],
      ['JSON with a byte-order mark', () => GatewaySpecLoader.fromString(`\uFEFF${JSON.stringify(exampleSpec)}`, SpecFormat.JSON)],
    ])('%s', (_form, load) => {
      const spec = load();
      expect(spec).toEqual(asJson(exampleSpec));
      expect(GatewayBlueprint.fromSpec(spec).name).toBe('acme-llm');
    });
  });

  describe('a syntax error names the source, line and column', () => {
    test('JSON', () => {
      const file = write('broken.json', '{\n  "name": "acme-llm",\n  "aws": {\n    "account": "111122223333",\n  }\n}\n');
      expect(caught(() => GatewaySpecLoader.fromFile(file)).message).toBe(`${file}:5:3: invalid JSON: expected a field name in double quotes but found "}\\n}\\n".`);
    });

    test('YAML', () => {
      const file = write('broken.yaml', 'name: acme-llm\naws:\n  account: "111122223333\n');
      expect(caught(() => GatewaySpecLoader.fromFile(file)).message).toBe(`${file}:4:1: invalid YAML: Missing closing "quote.`);
    });

    test('a key given twice, which JSON.parse would silently resolve to the last', () => {
      const json = '{"name": "acme-llm",\n "suspended": {"workloads": ["support-bot"]},\n "suspended": {}}';
      expect(caught(() => GatewaySpecLoader.fromString(json, undefined, 'pipeline.json')).message)
        .toBe('pipeline.json:3:2: invalid JSON: the field "suspended" appears twice in one object; only one value can hold.');
      expect(caught(() => GatewaySpecLoader.fromString('name: a\nname: b\n', SpecFormat.YAML, 'p.yaml')).message).toMatch(/^p\.yaml:2:1: invalid YAML: Map keys must be unique/);
    });

    test('a YAML tag that is not plain data', () => {
      expect(caught(() => GatewaySpecLoader.fromString('name: !!binary aGVsbG8=\n', SpecFormat.YAML, 's.yaml')).message)
        .toBe('s.yaml:1:16: the YAML tag "tag:yaml.org,2002:binary" is not allowed; a gateway spec holds only strings, numbers, booleans, lists and maps.');
    });

    test('several YAML documents in one file', () => {
      expect(caught(() => GatewaySpecLoader.fromString('name: a\n---\nname: b\n', SpecFormat.YAML, 's.yaml')).message).toMatch(/^s\.yaml:2:1: invalid YAML: /);
    });

    test.each([
      ['truncated JSON', '{"name": "acme', /^t:1:10: invalid JSON: the string is never closed\.$/],
      ['trailing text', '{} x', /^t:1:4: invalid JSON: unexpected "x" after the end of the document\.$/],
      ['a raw line break in a string', '{"name": "a\nb"}', /^t:1:12: invalid JSON: a string may not hold a raw line break/],
      ['a bad escape', '{"name": "\\x"}', /^t:1:11: invalid JSON: an invalid escape/],
      ['a bare word', '{"sessionTags": yes}', /^t:1:17: invalid JSON: expected a value but found "yes}"\.$/],
    ])('%s', (_name, text, message) => {
      expect(caught(() => GatewaySpecLoader.fromString(text, SpecFormat.JSON, 't')).message).toMatch(message);
    });
  });

  describe('then validates, each problem with its path and its line', () => {
    test('an unknown key in YAML', () => {
      const yaml = stringify({ ...asJson(exampleSpec), suspend: { workloads: ['support-bot'] } });
      const line = yaml.split('\n').findIndex((l) => l.startsWith('suspend:')) + 1;
      const error = caught(() => GatewaySpecLoader.fromString(yaml, SpecFormat.YAML, 'gateway.yaml'));
      expect(error.message).toBe([
        'GatewaySpec "acme-llm" from gateway.yaml is invalid (1 problem):',
        `  - suspend (gateway.yaml:${line}:1): is not a field of the gateway spec (GatewaySpec) (got "suspend"). Fix: did you mean "suspended"? Rename or remove it.`,
      ].join('\n'));
      expect((error as any).problems).toEqual([expect.objectContaining({ path: 'suspend' })]);
    });

    test('a wrong value in JSON, located at its field', () => {
      const spec = asJson(exampleSpec);
      spec.tenants[1].workloads[0].roleArn = 'arn:aws:iam::111122223333:root';
      const json = JSON.stringify(spec, undefined, 2);
      const line = json.split('\n').findIndex((l) => l.includes(':root')) + 1;
      expect(caught(() => GatewaySpecLoader.fromString(json, undefined, 'gateway.json')).message)
        .toContain(`tenants[1].workloads[0].roleArn (gateway.json:${line}:11): names the account root`);
    });

    test('a missing field is located at the object that lacks it', () => {
      const spec = asJson(exampleSpec);
      delete spec.owners.operations;
      const yaml = stringify(spec);
      const line = yaml.split('\n').findIndex((l) => l.startsWith('owners:')) + 1;
      expect(caught(() => GatewaySpecLoader.fromString(yaml, SpecFormat.YAML, 'g.yaml')).message).toContain(`owners.operations (g.yaml:${line}:1): the operations owner is missing`);
    });

    test('YAML 1.2: yes is a string, so it is refused where a boolean is needed', () => {
      const yaml = `${stringify(asJson(exampleSpec))}sessionTags: yes\n`;
      expect(caught(() => GatewaySpecLoader.fromString(yaml, SpecFormat.YAML, 'g.yaml')).message).toMatch(/sessionTags \(g\.yaml:\d+:1\): must be true or false \(got "yes"\)/);
    });

    test('__proto__ is an unknown field, not a prototype', () => {
      const json = JSON.stringify(asJson(exampleSpec)).replace(/^\{/, '{"__proto__": {"polluted": true},');
      expect(caught(() => GatewaySpecLoader.fromString(json, undefined, 'g.json')).message).toMatch(/__proto__ \(g\.json:1:2\): is not a field of the gateway spec/);
      expect(caught(() => GatewaySpecLoader.fromString('__proto__: {polluted: true}\n', SpecFormat.YAML, 'g.yaml')).message).toMatch(/__proto__ \(g\.yaml:1:1\): is not a field/);
      expect(({} as any).polluted).toBeUndefined();
    });

    test('a document that is not a map', () => {
      expect(caught(() => GatewaySpecLoader.fromString('- a\n- b\n', SpecFormat.YAML, 'g.yaml')).message).toMatch(/the gateway spec must be an object/);
    });
  });

  describe('the source itself', () => {
    test('a missing file', () => {
      expect(() => GatewaySpecLoader.fromFile(path.join(dir, 'nope.yaml'))).toThrow(/^Cannot read the gateway spec ".*nope\.yaml": there is no such file\.$/);
    });
    test('a directory', () => {
      fs.mkdirSync(path.join(dir, 'd.json'), { recursive: true });
      expect(() => GatewaySpecLoader.fromFile(path.join(dir, 'd.json'))).toThrow(/: it is a directory\.$/);
    });
    test('an extension that tells no format', () => {
      expect(() => GatewaySpecLoader.fromFile(write('spec.txt', '{}'))).toThrow(/from its extension "\.txt": name it \.json, \.yaml or \.yml, or pass the format\./);
    });
    test('an empty file', () => {
      expect(() => GatewaySpecLoader.fromFile(write('empty.yaml', '  \n'))).toThrow(/empty\.yaml: the gateway spec is empty\./);
    });
  });

  test('publishes the committed JSON Schema', () => {
    expect(JSON.parse(GatewaySpecLoader.jsonSchema())).toEqual(JSON.parse(fs.readFileSync(SCHEMA_FILE, 'utf8')));
  });
});
