import { ReasonCode, RouterError } from './errors';
import {
  CHAT_REQUEST_FIELDS, GUARDRAIL_CONFIG_FIELDS, GUARDRAIL_ID_PATTERN, GUARDRAIL_TRACES, GUARDRAIL_VERSION_PATTERN, ID_PATTERN,
  INFERENCE_CONFIG_FIELDS, MAX_CONTENT_BLOCKS, MAX_GUARDRAIL_ID_LENGTH, MAX_MESSAGES, MAX_MODEL_ID_LENGTH, MAX_TOOLS,
  MESSAGE_FIELDS, TOOL_CONFIG_FIELDS, TOOL_SPEC_FIELDS,
} from '../contract/chat-request-schema';
import { closest } from '../contract/closest-field';

/** One content block of a message, in the Converse shape (`text`, `toolUse`, `toolResult`, ...). */
export type ContentBlock = Record<string, unknown>;

/** A conversation turn. */
export interface ChatMessage {
  readonly role: 'user' | 'assistant';
  readonly content: ContentBlock[];
}

/** Inference parameters every Converse model accepts. */
export interface InferenceConfig {
  readonly maxTokens?: number;
  readonly temperature?: number;
  readonly topP?: number;
  readonly stopSequences?: string[];
}

/** The guardrail Bedrock applies to the call (Converse's `guardrailConfig`). */
export interface GuardrailConfig {
  readonly guardrailIdentifier: string;
  readonly guardrailVersion: string;
  readonly trace?: 'enabled' | 'disabled' | 'enabled_full';
}

/**
 * A chat request: Bedrock's Converse request, with the model chosen by `modelId`. With
 * `providerKey`, the request goes to that third-party provider with the tenant's key, and
 * `modelId` is the provider's model name. `tenant` states the tenant the call is made for; it
 * defaults to the caller's own, and any other is denied.
 */
export interface ChatRequest {
  readonly modelId: string;
  readonly providerKey?: string;
  readonly tenant?: string;
  readonly messages: ChatMessage[];
  readonly system?: Array<{ text: string }>;
  readonly inferenceConfig?: InferenceConfig;
  readonly toolConfig?: { tools: Array<{ toolSpec: { name: string } & Record<string, unknown> }> } & Record<string, unknown>;
  readonly guardrailConfig?: GuardrailConfig;
}

/** A chat answer in the Converse shape. */
export interface ChatResponse {
  readonly output: { message: { role: 'assistant'; content: ContentBlock[] } };
  readonly stopReason: string;
  readonly usage: { inputTokens: number; outputTokens: number; totalTokens: number };
  /** Bedrock's guardrail trace, when the request asked for it. */
  readonly trace?: Record<string, unknown>;
}

const idPattern = new RegExp(ID_PATTERN);

/**
 * The content blocks the gateway passes to Converse. Media are accepted inline (`bytes`) only: an
 * `s3Location` would have Bedrock read an object with the tenant target's permissions, which no
 * policy in the store authorized.
 */
const CONTENT_KINDS = ['text', 'image', 'document', 'toolUse', 'toolResult', 'cachePoint', 'reasoningContent'];

function contentProblem(block: Record<string, unknown>): string | undefined {
  const kinds = Object.keys(block);
  if (kinds.length !== 1 || !CONTENT_KINDS.includes(kinds[0])) return `one of ${CONTENT_KINDS.join(', ')} per block`;
  if (hasField(block, 's3Location')) return 'media inline (bytes), never by s3Location';
  return undefined;
}
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Whether a field named `name` is anywhere in a parsed JSON value, at any depth. It walks the
 * fields, not the text: serializing a block to search it would copy every inline image and
 * document the request carries, megabytes per request. Iterative, so no nesting is too deep.
 */
function hasField(value: unknown, name: string): boolean {
  const pending: object[] = [];
  const visit = (v: unknown) => {
    if (typeof v === 'object' && v !== null) pending.push(v);
  };
  visit(value);
  while (pending.length > 0) {
    const next = pending.pop()!;
    if (Array.isArray(next)) {
      for (const item of next) visit(item);
    } else {
      for (const [key, field] of Object.entries(next)) {
        if (key === name) return true;
        visit(field);
      }
    }
  }
  return false;
}

/**
 * Converse fields the gateway refuses rather than forwards, and why. A field the router accepted
 * but did not pass on would be dropped without the caller knowing, so every field is either
 * forwarded or refused by name.
 */
const REFUSED_FIELDS: Record<string, string> = {
  // Refused, not forwarded: these are model-specific and opaque to the gateway. They can turn on
  // model features (server-side tools, beta flags, reasoning budgets) that no policy in the store
  // authorized, and the gateway could not show them in the access review.
  additionalModelRequestFields: 'model-specific fields are not forwarded: the policy store cannot authorize what they turn on; use inferenceConfig, toolConfig and guardrailConfig',
  additionalModelResponseFieldPaths: 'model-specific response fields are not forwarded',
  promptVariables: 'prompts from Bedrock Prompt management are not routed by the gateway',
  requestMetadata: 'request metadata is not forwarded; the gateway logs the request id and the identity chain',
  performanceConfig: 'latency-optimized inference is not routed by the gateway',
  serviceTier: 'service tiers are not routed by the gateway',
  outputConfig: 'output configuration is not forwarded',
};

/** Problems for the keys of `value` that are not `known`, each named by its path. */
function unknownKeys(path: string, value: Record<string, unknown>, known: readonly string[], refused: Record<string, string> = {}): string[] {
  return Object.keys(value).filter((k) => !known.includes(k)).map((k) => {
    const at = path ? `${path}.${k}` : k;
    if (Object.prototype.hasOwnProperty.call(refused, k)) return `${at}: not accepted (${refused[k]}); remove it`;
    const near = closest(k, known);
    return `${at}: not a field the gateway accepts; ${near ? `did you mean "${near}"?` : `the fields are ${known.join(', ')}`}`;
  });
}

/**
 * Parses and checks a request body. Reports every problem at once, naming the field.
 */
export function parseChatRequest(body: string | null | undefined, isBase64Encoded = false): ChatRequest {
  let value: unknown;
  try {
    value = JSON.parse(isBase64Encoded ? Buffer.from(body ?? '', 'base64').toString('utf-8') : (body ?? ''));
  } catch {
    throw new RouterError(ReasonCode.BAD_REQUEST, 'The body is not JSON; send a chat request: {"modelId": "...", "messages": [...]}.');
  }
  const problems: string[] = [];
  if (!isObject(value)) throw new RouterError(ReasonCode.BAD_REQUEST, 'The body must be a JSON object.');
  const { modelId, providerKey, tenant, messages, system, inferenceConfig, toolConfig, guardrailConfig } = value;
  problems.push(...unknownKeys('', value, CHAT_REQUEST_FIELDS, REFUSED_FIELDS));

  if (typeof modelId !== 'string' || modelId.length === 0 || modelId.length > MAX_MODEL_ID_LENGTH) {
    problems.push(`modelId: a model id of 1 to ${MAX_MODEL_ID_LENGTH} characters is required`);
  }
  for (const [name, field] of [['providerKey', providerKey], ['tenant', tenant]] as const) {
    if (field !== undefined && (typeof field !== 'string' || !idPattern.test(field))) problems.push(`${name}: must be an id (letters, digits, _ . : / -)`);
  }
  if (!Array.isArray(messages) || messages.length === 0 || messages.length > MAX_MESSAGES) {
    problems.push(`messages: 1 to ${MAX_MESSAGES} messages are required`);
  } else {
    messages.forEach((m, i) => {
      if (!isObject(m) || (m.role !== 'user' && m.role !== 'assistant')) problems.push(`messages[${i}].role: must be "user" or "assistant"`);
      if (isObject(m)) problems.push(...unknownKeys(`messages[${i}]`, m, MESSAGE_FIELDS));
      const content = isObject(m) ? m.content : undefined;
      if (!Array.isArray(content) || content.length === 0 || content.length > MAX_CONTENT_BLOCKS || !content.every(isObject)) {
        problems.push(`messages[${i}].content: 1 to ${MAX_CONTENT_BLOCKS} content blocks are required`);
      } else {
        content.forEach((block, j) => {
          const problem = contentProblem(block);
          if (problem) problems.push(`messages[${i}].content[${j}]: ${problem}`);
        });
      }
    });
  }
  if (system !== undefined && (!Array.isArray(system) || system.length > MAX_CONTENT_BLOCKS
    || !system.every((b) => isObject(b) && Object.keys(b).length === 1 && typeof b.text === 'string' && b.text.length > 0))) {
    problems.push('system: a list of {"text": "..."} blocks');
  }
  if (inferenceConfig !== undefined) problems.push(...inferenceProblems(inferenceConfig));
  if (toolConfig !== undefined) problems.push(...toolProblems(toolConfig));
  if (guardrailConfig !== undefined) problems.push(...guardrailProblems(guardrailConfig));
  if (typeof providerKey === 'string' && problems.length === 0) {
    // Provider keys reach OpenAI-compatible chat completions, which carry text only.
    if (toolConfig !== undefined) problems.push('toolConfig: tools are supported for Bedrock models only, not with providerKey');
    if (guardrailConfig !== undefined) problems.push('guardrailConfig: guardrails are applied by Bedrock, to Bedrock models only, not with providerKey');
    (messages as ChatMessage[]).forEach((m, i) => m.content.forEach((block, j) => {
      if (typeof block.text !== 'string') problems.push(`messages[${i}].content[${j}]: a provider key carries text blocks only`);
    }));
  }
  if (problems.length > 0) throw new RouterError(ReasonCode.BAD_REQUEST, `The chat request is invalid: ${problems.join('; ')}.`);
  return value as unknown as ChatRequest;
}

function toolProblems(config: unknown): string[] {
  const tools = isObject(config) ? config.tools : undefined;
  if (!isObject(config) || !Array.isArray(tools) || tools.length === 0 || tools.length > MAX_TOOLS
    || !tools.every((t) => isObject(t) && isObject(t.toolSpec) && typeof t.toolSpec.name === 'string' && idPattern.test(t.toolSpec.name))) {
    return [`toolConfig.tools: 1 to ${MAX_TOOLS} tools, each {"toolSpec": {"name": "<tool id>", ...}}`];
  }
  const problems = unknownKeys('toolConfig', config, TOOL_CONFIG_FIELDS);
  tools.forEach((tool, i) => {
    // Only tool specs, which the policy store authorizes by name; no system tools.
    problems.push(...unknownKeys(`toolConfig.tools[${i}]`, tool, ['toolSpec']));
    problems.push(...unknownKeys(`toolConfig.tools[${i}].toolSpec`, tool.toolSpec as Record<string, unknown>, TOOL_SPEC_FIELDS));
  });
  const choice = config.toolChoice;
  if (choice !== undefined) {
    const offered = tools.map((t) => t.toolSpec.name);
    const kind = isObject(choice) && Object.keys(choice).length === 1 ? Object.keys(choice)[0] : undefined;
    const named = isObject(choice) && isObject(choice.tool) ? choice.tool.name : undefined;
    if (!(kind === 'auto' || kind === 'any' || (kind === 'tool' && typeof named === 'string' && offered.includes(named)))) {
      problems.push('toolConfig.toolChoice: one of {"auto": {}}, {"any": {}} or {"tool": {"name": "<a tool the request offers>"}}');
    }
  }
  return problems;
}

const guardrailIdPattern = new RegExp(GUARDRAIL_ID_PATTERN);
const guardrailVersionPattern = new RegExp(GUARDRAIL_VERSION_PATTERN);

function guardrailProblems(config: unknown): string[] {
  if (!isObject(config)) return ['guardrailConfig: must be an object {"guardrailIdentifier": "...", "guardrailVersion": "..."}'];
  const problems = unknownKeys('guardrailConfig', config, GUARDRAIL_CONFIG_FIELDS);
  const { guardrailIdentifier: id, guardrailVersion: version, trace } = config;
  if (typeof id !== 'string' || id.length > MAX_GUARDRAIL_ID_LENGTH || !guardrailIdPattern.test(id)) {
    problems.push('guardrailConfig.guardrailIdentifier: a guardrail id (lower-case letters and digits) or guardrail ARN is required');
  }
  if (typeof version !== 'string' || !guardrailVersionPattern.test(version)) {
    problems.push('guardrailConfig.guardrailVersion: a version number (1, 2, ...) or "DRAFT" is required');
  }
  if (trace !== undefined && !(GUARDRAIL_TRACES as readonly unknown[]).includes(trace)) {
    problems.push(`guardrailConfig.trace: one of ${GUARDRAIL_TRACES.join(', ')}`);
  }
  return problems;
}

function inferenceProblems(config: unknown): string[] {
  if (!isObject(config)) return ['inferenceConfig: must be an object'];
  const problems = unknownKeys('inferenceConfig', config, INFERENCE_CONFIG_FIELDS);
  const { maxTokens, temperature, topP, stopSequences } = config;
  if (maxTokens !== undefined && !(Number.isInteger(maxTokens) && (maxTokens as number) >= 1)) problems.push('inferenceConfig.maxTokens: a positive integer');
  for (const [name, v] of [['temperature', temperature], ['topP', topP]] as const) {
    if (v !== undefined && !(typeof v === 'number' && v >= 0 && v <= 1)) problems.push(`inferenceConfig.${name}: a number from 0 to 1`);
  }
  if (stopSequences !== undefined && !(Array.isArray(stopSequences) && stopSequences.length <= 4 && stopSequences.every((s) => typeof s === 'string'))) {
    problems.push('inferenceConfig.stopSequences: at most 4 strings');
  }
  return problems;
}

/** The tools a request offers the model, each of which must be authorized. */
export function requestedTools(request: ChatRequest): string[] {
  return [...new Set((request.toolConfig?.tools ?? []).map((t) => t.toolSpec.name))].sort();
}
