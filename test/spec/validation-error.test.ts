import { exampleSpec } from '../../examples/bedrock-gateway/spec';
import { GatewaySpec, GatewaySpecLoader, GatewaySpecValidator, GatewayValidationError, SpecFormat } from '../../src';

// One exported error type for every validation: the spec validator throws it, with the subject
// and the problems as data, and its message in the one format.

function thrownBy(run: () => void): GatewayValidationError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayValidationError);
    return error as GatewayValidationError;
  }
  throw new Error('expected a GatewayValidationError');
}

describe('GatewaySpecValidator.validate', () => {
  const spec: GatewaySpec = { ...exampleSpec, name: 'BadName', aws: { ...exampleSpec.aws, region: 'mars-1' } };

  test('throws GatewayValidationError with every problem as data', () => {
    const error = thrownBy(() => GatewaySpecValidator.validate(spec));
    expect(error.subject).toBe('GatewaySpec "BadName"');
    expect(error.problems).toEqual(GatewaySpecValidator.problems(spec));
    expect(error.problems.map((p) => p.path)).toEqual(expect.arrayContaining(['name', 'aws.region']));
  });

  test('its message is the one format: subject, count, then path, message, value and fix per line', () => {
    const error = thrownBy(() => GatewaySpecValidator.validate(spec));
    const lines = error.message.split('\n');
    expect(lines[0]).toBe(`GatewaySpec "BadName" is invalid (${error.problems.length} problems):`);
    error.problems.forEach((p, i) => expect(lines[i + 1]).toBe(`  - ${p.path}: ${p.message} (got ${p.value}). Fix: ${p.fix}.`));
  });
});

describe('GatewaySpecLoader', () => {
  test('a spec that parses but is invalid throws GatewayValidationError: the problems as found, the message with their lines', () => {
    const text = JSON.stringify({ ...exampleSpec, name: 'BadName' }, undefined, 2);
    const error = thrownBy(() => GatewaySpecLoader.fromString(text, SpecFormat.JSON, 'gateway.json'));
    expect(error.subject).toBe('GatewaySpec "BadName" from gateway.json');
    expect(error.problems).toEqual([expect.objectContaining({ path: 'name' })]);
    expect(error.message).toMatch(/^GatewaySpec "BadName" from gateway\.json is invalid \(1 problem\):\n  - name \(gateway\.json:2:3\): /);
  });
});
