import * as cdk from 'aws-cdk-lib';
import * as cdktf from 'cdktf';
import { isUnresolved } from '../../src/spec/tokens';

// spec/ recognises tokens without importing either library. These cases hold it to each
// library's own verdict, so a change in either encoding fails here.

describe('agrees with aws-cdk-lib Token.isUnresolved', () => {
  const stack = new cdk.Stack();
  const samples: Array<[string, unknown]> = [
    ['a pseudo parameter', cdk.Aws.ACCOUNT_ID],
    ['a lazy string', cdk.Lazy.string({ produce: () => 'x' })],
    ['a string with a token inside', `arn:${cdk.Aws.PARTITION}:iam::123456789012:role/x`],
    ['a lazy number', cdk.Lazy.number({ produce: () => 3 })],
    ['a lazy list', cdk.Lazy.list({ produce: () => ['a'] })],
    ['a stack attribute', stack.account],
    ['a literal string', 'arn:aws:iam::123456789012:role/x'],
    ['a literal number', 3600],
    ['a literal list', ['a', 'b']],
    ['a negative literal', -1.5e289],
  ];
  test.each(samples)('%s', (_name, value) => {
    expect(isUnresolved(value)).toBe(cdk.Token.isUnresolved(value));
  });

  test('a number token turned into a string counts as unresolved, because synthesis replaces it', () => {
    // aws-cdk-lib's Token.isUnresolved says false here, yet resolve() substitutes the number.
    const value = `${cdk.Lazy.number({ produce: () => 3 })}`;
    expect(stack.resolve(value)).toBe(3);
    expect(isUnresolved(value)).toBe(true);
  });
});

describe('agrees with cdktf Token.isUnresolved', () => {
  const app = cdktf.Testing.app();
  const stack = new cdktf.TerraformStack(app, 'tokens');
  const variable = new cdktf.TerraformVariable(stack, 'v', { type: 'string' });
  const numbers = new cdktf.TerraformVariable(stack, 'n', { type: 'number' });
  const samples: Array<[string, unknown]> = [
    ['a string variable', variable.stringValue],
    ['a number variable', numbers.numberValue],
    ['a list variable', variable.listValue],
    ['a string with a token inside', `host=${variable.stringValue}`],
    ['a lazy string', cdktf.Lazy.stringValue({ produce: () => 'x' })],
    ['a literal string', 'host=db'],
    ['a literal number', 5432],
  ];
  test.each(samples)('%s', (_name, value) => {
    expect(isUnresolved(value)).toBe(cdktf.Token.isUnresolved(value));
  });
});
