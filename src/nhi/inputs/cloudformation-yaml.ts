import { parse as parseYaml } from 'yaml';
import { InputError } from './input-error';

// The short forms CloudFormation accepts, each as the long form it stands for.
const INTRINSICS: Record<string, string> = {
  Ref: 'Ref',
  Sub: 'Fn::Sub',
  GetAtt: 'Fn::GetAtt',
  If: 'Fn::If',
  ImportValue: 'Fn::ImportValue',
  Join: 'Fn::Join',
  Select: 'Fn::Select',
  Split: 'Fn::Split',
  FindInMap: 'Fn::FindInMap',
  Base64: 'Fn::Base64',
  Cidr: 'Fn::Cidr',
  GetAZs: 'Fn::GetAZs',
  Equals: 'Fn::Equals',
  And: 'Fn::And',
  Or: 'Fn::Or',
  Not: 'Fn::Not',
  Condition: 'Condition',
  Transform: 'Fn::Transform',
  ToJsonString: 'Fn::ToJsonString',
  Length: 'Fn::Length',
};

/** Each short form as a scalar, a sequence and a mapping (`!Sub "x"`, `!Sub [x, {..}]`, `!Transform {..}`). */
const CUSTOM_TAGS = Object.entries(INTRINSICS).flatMap(([short, long]) => [
  { tag: `!${short}`, resolve: (value: string) => ({ [long]: long === 'Fn::GetAtt' ? splitAttribute(value) : value }) },
  { tag: `!${short}`, collection: 'seq' as const, resolve: (value: { toJSON(): unknown }) => ({ [long]: value.toJSON() }) },
  { tag: `!${short}`, collection: 'map' as const, resolve: (value: { toJSON(): unknown }) => ({ [long]: value.toJSON() }) },
]);

function splitAttribute(value: string): string[] {
  const dot = value.indexOf('.');
  return dot < 0 ? [value] : [value.slice(0, dot), value.slice(dot + 1)];
}

/**
 * A CloudFormation template written in YAML, with its short-form intrinsics turned into the JSON
 * form the model reads (`!GetAtt Role.Arn` becomes `{"Fn::GetAtt": ["Role", "Arn"]}`).
 */
export function parseCloudFormationYaml(file: string, text: string): unknown {
  try {
    return parseYaml(text, { customTags: CUSTOM_TAGS, prettyErrors: false, uniqueKeys: false, maxAliasCount: -1 });
  } catch (error) {
    throw new InputError(file, `is not valid YAML (${(error as Error).message.split('\n')[0]})`);
  }
}
