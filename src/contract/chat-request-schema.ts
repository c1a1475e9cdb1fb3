/**
 * The gateway's wire shape: a chat request in the shape of Amazon Bedrock's Converse API, plus
 * two gateway fields (`providerKey`, `tenant`). API Gateway validates bodies against this schema
 * before the router runs; the router checks the same limits and the same field names again, so
 * neither depends on the other being configured.
 */

/** Most messages in one request. */
export const MAX_MESSAGES = 200;
/** Most content blocks in one message or system prompt. */
export const MAX_CONTENT_BLOCKS = 50;
/** Most tools one request may offer the model. */
export const MAX_TOOLS = 64;
/** Longest model id (Bedrock's limit for model ids and ARNs). */
export const MAX_MODEL_ID_LENGTH = 2048;
/** The ids the gateway uses: tenant, workload, provider key, tool. */
export const ID_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_.:/-]{0,127}$';
/** A Bedrock guardrail's id or ARN, as Converse accepts it. */
export const GUARDRAIL_ID_PATTERN = '^([a-z0-9]+|arn:aws(-[^:]+)?:bedrock:[a-z0-9-]{1,20}:[0-9]{12}:guardrail/[a-z0-9]+)$';
export const MAX_GUARDRAIL_ID_LENGTH = 2048;
/** A guardrail version: a number, or the working draft. */
export const GUARDRAIL_VERSION_PATTERN = '^([1-9][0-9]{0,7}|DRAFT)$';
export const GUARDRAIL_TRACES = ['enabled', 'disabled', 'enabled_full'] as const;

/**
 * The fields the gateway accepts, each of which it forwards (or, for `providerKey` and `tenant`,
 * acts on). Any other field is refused by name, never dropped.
 */
export const CHAT_REQUEST_FIELDS = ['modelId', 'providerKey', 'tenant', 'messages', 'system', 'inferenceConfig', 'toolConfig', 'guardrailConfig'] as const;
export const MESSAGE_FIELDS = ['role', 'content'] as const;
export const INFERENCE_CONFIG_FIELDS = ['maxTokens', 'temperature', 'topP', 'stopSequences'] as const;
export const TOOL_CONFIG_FIELDS = ['tools', 'toolChoice'] as const;
export const TOOL_SPEC_FIELDS = ['name', 'description', 'inputSchema', 'strict'] as const;
export const GUARDRAIL_CONFIG_FIELDS = ['guardrailIdentifier', 'guardrailVersion', 'trace'] as const;

const id = { type: 'string', pattern: ID_PATTERN };
const textBlock = { type: 'object', required: ['text'], additionalProperties: false, properties: { text: { type: 'string', minLength: 1 } } };
/** An object with exactly these fields (JSON Schema draft 4 has no `propertyNames`). */
const only = (fields: readonly string[], properties: Record<string, unknown> = {}) => ({
  additionalProperties: false,
  properties: Object.fromEntries(fields.map((f) => [f, properties[f] ?? {}])),
});

/**
 * The JSON Schema (draft 4, as API Gateway models use) of a chat request.
 */
export function chatRequestSchema(): Record<string, unknown> {
  return {
    $schema: 'http://json-schema.org/draft-04/schema#',
    title: 'ChatRequest',
    type: 'object',
    required: ['modelId', 'messages'],
    additionalProperties: false,
    properties: {
      modelId: { type: 'string', minLength: 1, maxLength: MAX_MODEL_ID_LENGTH },
      providerKey: id,
      tenant: id,
      messages: {
        type: 'array',
        minItems: 1,
        maxItems: MAX_MESSAGES,
        items: {
          type: 'object',
          required: ['role', 'content'],
          ...only(MESSAGE_FIELDS, {
            role: { type: 'string', enum: ['user', 'assistant'] },
            content: { type: 'array', minItems: 1, maxItems: MAX_CONTENT_BLOCKS, items: { type: 'object' } },
          }),
        },
      },
      system: { type: 'array', maxItems: MAX_CONTENT_BLOCKS, items: textBlock },
      inferenceConfig: {
        type: 'object',
        ...only(INFERENCE_CONFIG_FIELDS, {
          maxTokens: { type: 'integer', minimum: 1 },
          temperature: { type: 'number', minimum: 0, maximum: 1 },
          topP: { type: 'number', minimum: 0, maximum: 1 },
          stopSequences: { type: 'array', maxItems: 4, items: { type: 'string' } },
        }),
      },
      toolConfig: {
        type: 'object',
        required: ['tools'],
        ...only(TOOL_CONFIG_FIELDS, {
          tools: {
            type: 'array',
            minItems: 1,
            maxItems: MAX_TOOLS,
            items: {
              type: 'object',
              required: ['toolSpec'],
              ...only(['toolSpec'], { toolSpec: { type: 'object', required: ['name'], ...only(TOOL_SPEC_FIELDS, { name: id }) } }),
            },
          },
          toolChoice: { type: 'object' },
        }),
      },
      guardrailConfig: {
        type: 'object',
        required: ['guardrailIdentifier', 'guardrailVersion'],
        ...only(GUARDRAIL_CONFIG_FIELDS, {
          guardrailIdentifier: { type: 'string', maxLength: MAX_GUARDRAIL_ID_LENGTH, pattern: GUARDRAIL_ID_PATTERN },
          guardrailVersion: { type: 'string', pattern: GUARDRAIL_VERSION_PATTERN },
          trace: { type: 'string', enum: [...GUARDRAIL_TRACES] },
        }),
      },
    },
  };
}
