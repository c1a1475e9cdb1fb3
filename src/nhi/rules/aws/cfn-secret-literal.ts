import { NhiSeverity, OwaspNhi } from '../../finding';
import { TemplateModel } from '../../private/cfn-template';
import { isPlaceholder } from '../../private/placeholder';
import { isPlainSetting, namesASecret, SECRET_DATA_SOURCES } from '../../private/secret-names';
import { isUnresolved } from '../../private/unresolved';
import { AWS_FIXTURES, awsRule, AwsHit } from '../rule';
import { environmentEntries, isLiteralString, isUnresolvedValue, mentionedIds, urlWithPassword } from '../support/aws';


/** Literal secrets in the properties of database and cache resources, by type. */
const PASSWORD_PROPERTIES: Record<string, string[]> = {
  'AWS::RDS::DBInstance': ['MasterUserPassword'],
  'AWS::RDS::DBCluster': ['MasterUserPassword'],
  'AWS::DocDB::DBCluster': ['MasterUserPassword'],
  'AWS::Redshift::Cluster': ['MasterUserPassword'],
  'AWS::ElastiCache::ReplicationGroup': ['AuthToken'],
  'AWS::OpenSearchService::Domain': [],
};

function literalSecret(name: string, value: unknown): string | undefined {
  if (!isLiteralString(value) || value.trim() === '') return undefined;
  if (urlWithPassword(value)) return `${name} holds a connection URL with its password`;
  if (!namesASecret(name)) return undefined;
  if (isPlainSetting(value) || value.startsWith('arn:')) return undefined;
  return `${name} holds a literal value`;
}

/**
 * Terraform inputs and generated or fetched values: a variable, a local, a generated password or
 * key, or a data source that returns a secret's value (an external program's output, a Secrets
 * Manager secret version, an SSM parameter, a Vault secret), which Terraform then writes as is.
 */
const TERRAFORM_INPUT = new RegExp(`\\$\\{\\s*(var\\.|local\\.|random_password\\.|random_string\\.|random_id\\.|tls_private_key\\.|data\\.(external|${SECRET_DATA_SOURCES.join('|')})\\.)[^}]*\\}`);

/**
 * Where a value that is not written literally comes from, when it is the secret itself rather
 * than a pointer to a stored one: a template parameter (`!Ref ApiKey`, `!Sub` of one), or a
 * Terraform input or generated value (`var.master_key`, `random_password.db.result`). A
 * reference to a resource (a secret's ARN) or a dynamic reference is not one.
 */
function secretSource(model: TemplateModel, value: unknown): string | undefined {
  if (value && typeof value === 'object' && !isUnresolved(value) && !isUnresolvedValue(value)) {
    const ref = (value as { Ref?: unknown }).Ref;
    if (typeof ref === 'string' && model.isParameter(ref)) return `the template parameter ${ref}`;
    const sub = subParts(value);
    const names = sub ? [...sub.text.matchAll(/\$\{([A-Za-z0-9]+)\}/g)].map((m) => m[1]) : [];
    const parameter = names.map((n) => subParameter(model, sub!.variables, n)).find((n) => n !== undefined);
    return parameter ? `the template parameter ${parameter}` : undefined;
  }
  const text = writtenText(value);
  const input = text ? TERRAFORM_INPUT.exec(text) : null;
  return input ? input[0] : undefined;
}

/** The text of a value as written: a string, or an unresolved value's expression (also as a template written out as JSON holds it). */
function writtenText(value: unknown): string | undefined {
  if (isUnresolved(value)) return value.expression;
  if (isUnresolvedValue(value)) return (value as { unresolved: string }).unresolved;
  return typeof value === 'string' ? value : undefined;
}

/** The text and variable map of an `Fn::Sub` (one argument, or two with `{ Name: value }`). */
function subParts(value: unknown): { text: string; variables: Record<string, unknown> } | undefined {
  const sub = value && typeof value === 'object' ? (value as { 'Fn::Sub'?: unknown })['Fn::Sub'] : undefined;
  if (typeof sub === 'string') return { text: sub, variables: {} };
  if (!Array.isArray(sub) || typeof sub[0] !== 'string') return undefined;
  const variables = sub[1] && typeof sub[1] === 'object' && !isUnresolved(sub[1]) ? sub[1] as Record<string, unknown> : {};
  return { text: sub[0], variables };
}

/**
 * The template parameter a `${Name}` of an `Fn::Sub` stands for: the parameter itself, or the
 * `Ref` the two-argument form's variable map gives that name.
 */
function subParameter(model: TemplateModel, variables: Record<string, unknown>, name: string): string | undefined {
  if (name in variables) {
    const ref = (variables[name] as { Ref?: unknown } | undefined)?.Ref;
    return typeof ref === 'string' && model.isParameter(ref) ? ref : undefined;
  }
  return model.isParameter(name) ? name : undefined;
}

/** The parameter that fills the password of a connection URL built with `Fn::Sub` (`postgresql://${User}:${Password}@...`). */
function subUrlPassword(model: TemplateModel, value: unknown): string | undefined {
  const sub = subParts(value);
  const password = sub ? /^[a-z][a-z0-9+.-]*:\/\/[^/:@\s]+:\$\{([A-Za-z0-9]+)\}@/i.exec(sub.text) : null;
  return password ? subParameter(model, sub!.variables, password[1]) : undefined;
}

/** A secret-named variable, or a connection URL whose password part, comes from an input: the secret travels as plain configuration. */
function computedSecret(model: TemplateModel, name: string, value: unknown): string | undefined {
  const urlPassword = subUrlPassword(model, value);
  if (urlPassword) return `${name} holds a connection URL whose password comes from the template parameter ${urlPassword}`;
  const source = secretSource(model, value);
  if (!source) return undefined;
  const text = writtenText(value) ?? '';
  if (/^[a-z][a-z0-9+.-]*:\/\/[^/:@\s]+:\$\{[^}]+\}@/i.test(text) && TERRAFORM_INPUT.test(text.split('@')[0])) {
    return `${name} holds a connection URL whose password comes from ${source}`;
  }
  if (!namesASecret(name)) return undefined;
  return `${name} takes its value from ${source}`;
}

/**
 * True when a SecretString holds only placeholders: the text itself, or every value of its JSON
 * document (`{"OPENAI_API_KEY":"placeholder"}`). The real values are put into the secret after
 * deployment, outside the template: CloudFormation writes the value again only when the template
 * changes it. (Terraform writes it on every apply, so there a placeholder is skipped only under
 * `ignore_changes`, which the reader applies.)
 */
function placeholdersOnly(text: string): boolean {
  if (isPlaceholder(text)) return true;
  try {
    const doc = JSON.parse(text) as unknown;
    if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return false;
    const values = Object.values(doc as Record<string, unknown>);
    return values.length > 0 && values.every((v) => typeof v === 'string' && isPlaceholder(v));
  } catch {
    return false;
  }
}

/** Every string inside a value (the parts of an `Fn::Join`, the text of an `Fn::Sub`). */
function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (!value || typeof value !== 'object' || isUnresolved(value)) return [];
  return (Array.isArray(value) ? value : Object.values(value)).flatMap(stringsIn);
}

/**
 * A Secrets Manager dynamic reference in a plain environment value (directly or inside an
 * `Fn::Join`/`Fn::Sub`): CloudFormation resolves it at deployment and writes the secret into the
 * function's or task's configuration, where every reader of that configuration sees it.
 */
function resolvedIntoEnvironment(name: string, value: unknown): string | undefined {
  return stringsIn(value).join('').includes('{{resolve:secretsmanager:')
    ? `${name} resolves a Secrets Manager secret ({{resolve:secretsmanager:...}}) into a plain environment value: the secret is written into the configuration at deployment`
    : undefined;
}

/** Header names that say the header carries a credential: a key, token, secret, password or signature, an authorization, an origin-verification value. */
const SECRET_HEADER = /(secret|token|api-?key|access-?key|password|auth|signature|verify|verification)/i;

/**
 * Headers a template sets to a fixed value for every request: CloudFront origin custom headers
 * (the shared secret CloudFront shows its origin), and the static values API Gateway adds to an
 * integration's request (`integration.request.header.x-api-key: "'<value>'"`, HTTP APIs'
 * `overwrite:header.Authorization`). A literal value there is a credential in the template.
 */
function fixedHeaders(model: TemplateModel): Array<{ logicalId: string; where: string; name: string; value: unknown }> {
  const headers: Array<{ logicalId: string; where: string; name: string; value: unknown }> = [];
  for (const [logicalId, resource] of Object.entries(model.resources)) {
    const props = resource.Properties ?? {};
    if (resource.Type === 'AWS::CloudFront::Distribution') {
      const origins = ((props.DistributionConfig ?? {}) as { Origins?: unknown }).Origins;
      for (const origin of Array.isArray(origins) ? origins as Array<Record<string, unknown>> : []) {
        const custom = origin?.OriginCustomHeaders;
        for (const header of Array.isArray(custom) ? custom as Array<{ HeaderName?: unknown; HeaderValue?: unknown }> : []) {
          if (typeof header?.HeaderName === 'string') {
            headers.push({ logicalId, where: `origin ${String(origin.Id ?? '')} custom header`.replace('  ', ' '), name: header.HeaderName, value: header.HeaderValue });
          }
        }
      }
    }
    const parameters = resource.Type === 'AWS::ApiGateway::Method' ? ((props.Integration ?? {}) as { RequestParameters?: unknown }).RequestParameters
      : resource.Type === 'AWS::ApiGatewayV2::Integration' ? props.RequestParameters : undefined;
    if (parameters && typeof parameters === 'object' && !Array.isArray(parameters)) {
      for (const [key, value] of Object.entries(parameters as Record<string, unknown>)) {
        const name = /^(?:integration\.request\.header\.|(?:append|overwrite):header\.)(.+)$/i.exec(key)?.[1];
        // REST APIs quote a static value ('value'); an unquoted one names a request field (method.request.header.x).
        const literal = typeof value === 'string' && resource.Type === 'AWS::ApiGateway::Method' ? /^'(.*)'$/.exec(value)?.[1] : value;
        if (name && literal !== undefined && !(typeof literal === 'string' && literal.startsWith('$'))) {
          headers.push({ logicalId, where: 'integration request header', name, value: literal });
        }
      }
    }
  }
  return headers;
}

/** True for a JSON document that holds no value: `{}`, or an object whose every value is `""`. */
function emptyDocument(text: string): boolean {
  try {
    const document = JSON.parse(text) as unknown;
    return document !== null && typeof document === 'object' && !Array.isArray(document) && Object.values(document).every((v) => v === '');
  } catch {
    return false;
  }
}

export const CfnSecretLiteral = awsRule({
  id: 'NHI-CFN-SECRET-LITERAL',
  title: 'A secret value is written literally into the template',
  nhi: OwaspNhi.NHI2,
  nist: ['IA-5(7)', 'SC-28'],
  severity: NhiSeverity.CRITICAL,
  fix: 'keep the value in Secrets Manager or SSM SecureString and pass a reference the workload resolves at run time: ECS Secrets (valueFrom), or the secret\'s ARN for the function to read; a {{resolve:secretsmanager:...}} dynamic reference only where the property is not readable configuration (a database\'s MasterUserPassword)',
  fixtures: AWS_FIXTURES,
  checkTemplate: (ctx) => {
    const hits: AwsHit[] = [];
    // One finding per function or task, naming every variable: one environment, one problem to fix.
    const literal = new Map<string, string[]>();
    const computed = new Map<string, string[]>();
    for (const entry of environmentEntries(ctx.model).filter((e) => !e.fromSecret)) {
      const problem = literalSecret(entry.name, entry.value);
      const plain = problem ? undefined : computedSecret(ctx.model, entry.name, entry.value) ?? resolvedIntoEnvironment(entry.name, entry.value);
      if (problem) literal.set(entry.logicalId, [...(literal.get(entry.logicalId) ?? []), problem]);
      if (plain) computed.set(entry.logicalId, [...(computed.get(entry.logicalId) ?? []), plain]);
    }
    for (const logicalId of new Set([...literal.keys(), ...computed.keys()])) {
      const parts = [
        ...(literal.has(logicalId) ? [`${literal.get(logicalId)!.join('; ')}, written into its environment: the value is in the template for every reader of it`] : []),
        ...(computed.has(logicalId) ? [`${computed.get(logicalId)!.join('; ')}, passed as plain environment variables: every reader of the function's or task's configuration reads the secret; pass a secret reference instead`] : []),
        // Terraform records every argument it writes, so the value is in its state as well.
        ...(ctx.model.resources[logicalId]?.Metadata?.['gateward:terraform'] === true ? ['Terraform also keeps the value in its state'] : []),
      ];
      hits.push({ logicalId, message: parts.join('; ') });
    }
    for (const header of fixedHeaders(ctx.model)) {
      const value = header.value;
      if (!SECRET_HEADER.test(header.name) || !isLiteralString(value) || value.trim() === '' || value.includes('${')) continue;
      if (isPlainSetting(value) || isPlaceholder(value) || value.startsWith('arn:')) continue;
      hits.push({ logicalId: header.logicalId, message: `sets the ${header.where} ${header.name} to a literal value: the credential is in the template for every reader of it` });
    }
    for (const [logicalId, resource] of Object.entries(ctx.model.resources)) {
      const props = resource.Properties ?? {};
      // A Terraform value with interpolations in it (`jsonencode({ key = var.key })`) is computed, not written down.
      // An empty document (`{}`, or every value empty) holds no value: the secret's values are written outside the code.
      if (resource.Type === 'AWS::SecretsManager::Secret' && isLiteralString(props.SecretString) && props.SecretString !== '' && !props.SecretString.includes('${')
        && !emptyDocument(props.SecretString)
        && !(placeholdersOnly(props.SecretString) && resource.Metadata?.['gateward:terraform'] !== true)) {
        hits.push({ logicalId, message: 'sets SecretString literally: the secret value is in the template' });
      }
      for (const property of PASSWORD_PROPERTIES[resource.Type] ?? []) {
        if (isLiteralString(props[property]) && props[property] !== '') hits.push({ logicalId, message: `sets ${property} literally` });
        // A parameter's literal default is written in the template as surely as the property would
        // be, also when a condition picks the parameter (`Fn::If`).
        const parameter = mentionedIds(props[property]).find((name) => ctx.model.isParameter(name));
        const fallback = parameter ? ctx.model.resolve(props[property]) : undefined;
        if (isLiteralString(fallback) && fallback.trim() !== '' && !isPlaceholder(fallback)) {
          hits.push({ logicalId, message: `sets ${property} from the parameter ${parameter}, whose default is a literal password: it is in the template, and every deployment that keeps the default uses it` });
        }
      }
    }
    return hits;
  },
});
