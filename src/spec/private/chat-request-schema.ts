/**
 * The gateway's wire shape: a chat request in the shape of Amazon Bedrock's Converse API, plus
 * two gateway fields (`providerKey`, `tenant`). API Gateway validates bodies against this schema
 * before the router runs; the router checks the same limits again, so neither depends on the
 * other being configured.
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

const id = { type: 'string', pattern: ID_PATTERN };
const textBlock = { type: 'object', required: ['text'], properties: { text: { type: 'string', minLength: 1 } } };

/**
 * The JSON Schema (draft 4, as API Gateway models use) of a chat request.
 */
export function chatRequestSchema(): Record<string, unknown> {
  return {
    $schema: 'http://json-schema.org/draft-04/schema#',
    title: 'ChatRequest',
    type: 'object',
    required: ['modelId', 'messages'],
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
          properties: {
            role: { type: 'string', enum: ['user', 'assistant'] },
            content: { type: 'array', minItems: 1, maxItems: MAX_CONTENT_BLOCKS, items: { type: 'object' } },
          },
        },
      },
      system: { type: 'array', maxItems: MAX_CONTENT_BLOCKS, items: textBlock },
      inferenceConfig: {
        type: 'object',
        properties: {
          maxTokens: { type: 'integer', minimum: 1 },
          temperature: { type: 'number', minimum: 0, maximum: 1 },
          topP: { type: 'number', minimum: 0, maximum: 1 },
          stopSequences: { type: 'array', maxItems: 4, items: { type: 'string' } },
        },
      },
      toolConfig: {
        type: 'object',
        required: ['tools'],
        properties: {
          tools: {
            type: 'array',
            minItems: 1,
            maxItems: MAX_TOOLS,
            items: { type: 'object', required: ['toolSpec'], properties: { toolSpec: { type: 'object', required: ['name'], properties: { name: id } } } },
          },
        },
      },
    },
  };
}
