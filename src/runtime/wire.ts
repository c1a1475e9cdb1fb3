import { ReasonCode, RouterError } from './errors';
import { ID_PATTERN, MAX_CONTENT_BLOCKS, MAX_MESSAGES, MAX_MODEL_ID_LENGTH, MAX_TOOLS } from '../spec/private/chat-request-schema';

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
}

/** A chat answer in the Converse shape. */
export interface ChatResponse {
  readonly output: { message: { role: 'assistant'; content: ContentBlock[] } };
  readonly stopReason: string;
  readonly usage: { inputTokens: number; outputTokens: number; totalTokens: number };
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
  if (JSON.stringify(block).includes('"s3Location"')) return 'media inline (bytes), never by s3Location';
  return undefined;
}
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

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
  const { modelId, providerKey, tenant, messages, system, inferenceConfig, toolConfig } = value;

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
    || !system.every((b) => isObject(b) && typeof b.text === 'string' && b.text.length > 0))) {
    problems.push('system: a list of {"text": "..."} blocks');
  }
  if (inferenceConfig !== undefined) problems.push(...inferenceProblems(inferenceConfig));
  if (toolConfig !== undefined) {
    const tools = isObject(toolConfig) ? toolConfig.tools : undefined;
    if (!Array.isArray(tools) || tools.length === 0 || tools.length > MAX_TOOLS
      || !tools.every((t) => isObject(t) && isObject(t.toolSpec) && typeof t.toolSpec.name === 'string' && idPattern.test(t.toolSpec.name))) {
      problems.push(`toolConfig.tools: 1 to ${MAX_TOOLS} tools, each {"toolSpec": {"name": "<tool id>", ...}}`);
    }
  }
  if (typeof providerKey === 'string' && problems.length === 0) {
    // Provider keys reach OpenAI-compatible chat completions, which carry text only.
    if (toolConfig !== undefined) problems.push('toolConfig: tools are supported for Bedrock models only, not with providerKey');
    (messages as ChatMessage[]).forEach((m, i) => m.content.forEach((block, j) => {
      if (typeof block.text !== 'string') problems.push(`messages[${i}].content[${j}]: a provider key carries text blocks only`);
    }));
  }
  if (problems.length > 0) throw new RouterError(ReasonCode.BAD_REQUEST, `The chat request is invalid: ${problems.join('; ')}.`);
  return value as unknown as ChatRequest;
}

function inferenceProblems(config: unknown): string[] {
  if (!isObject(config)) return ['inferenceConfig: must be an object'];
  const problems: string[] = [];
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
