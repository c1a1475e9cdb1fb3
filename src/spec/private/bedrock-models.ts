/**
 * The Bedrock foundation-model ids the gateway knows, as AWS publishes them (the ids of
 * `aws bedrock list-foundation-models`, including the context-window variants used with
 * provisioned throughput), taken from the AWS CDK's published model list. An id not in this list
 * is only a warning: AWS adds models faster than any bundled list, but a typo would otherwise
 * surface only at request time as an access-denied error.
 */
export const KNOWN_FOUNDATION_MODELS: ReadonlySet<string> = new Set([
  // ai21
  'ai21.j2-grande-instruct', 'ai21.j2-jumbo-instruct', 'ai21.j2-mid', 'ai21.j2-mid-v1', 'ai21.j2-ultra', 'ai21.j2-ultra-v1',
  'ai21.j2-ultra-v1:0:8k', 'ai21.jamba-1-5-large-v1:0', 'ai21.jamba-1-5-mini-v1:0', 'ai21.jamba-instruct-v1:0',
  // amazon
  'amazon.nova-2-multimodal-embeddings-v1:0', 'amazon.nova-canvas-v1:0', 'amazon.nova-lite-v1:0', 'amazon.nova-lite-v1:0:300k',
  'amazon.nova-micro-v1:0', 'amazon.nova-micro-v1:0:128k', 'amazon.nova-premier-v1:0', 'amazon.nova-pro-v1:0', 'amazon.nova-pro-v1:0:300k',
  'amazon.nova-reel-v1:0', 'amazon.nova-reel-v1:1', 'amazon.nova-sonic-v1:0', 'amazon.rerank-v1:0', 'amazon.titan-embed-g1-text-02',
  'amazon.titan-embed-image-v1', 'amazon.titan-embed-image-v1:0', 'amazon.titan-embed-text-v1', 'amazon.titan-embed-text-v1:2:8k',
  'amazon.titan-embed-text-v2:0', 'amazon.titan-embed-text-v2:0:8k', 'amazon.titan-image-generator-v1',
  'amazon.titan-image-generator-v1:0', 'amazon.titan-image-generator-v2:0', 'amazon.titan-text-express-v1',
  'amazon.titan-text-express-v1:0:8k', 'amazon.titan-text-lite-v1', 'amazon.titan-text-lite-v1:0:4k', 'amazon.titan-text-premier-v1:0',
  'amazon.titan-tg1-large',
  // anthropic
  'anthropic.claude-3-5-haiku-20241022-v1:0', 'anthropic.claude-3-5-sonnet-20240620-v1:0', 'anthropic.claude-3-5-sonnet-20240620-v1:0:18k',
  'anthropic.claude-3-5-sonnet-20240620-v1:0:200k', 'anthropic.claude-3-5-sonnet-20240620-v1:0:51k',
  'anthropic.claude-3-5-sonnet-20241022-v2:0', 'anthropic.claude-3-5-sonnet-20241022-v2:0:18k',
  'anthropic.claude-3-5-sonnet-20241022-v2:0:200k', 'anthropic.claude-3-5-sonnet-20241022-v2:0:51k',
  'anthropic.claude-3-7-sonnet-20250219-v1:0', 'anthropic.claude-3-haiku-20240307-v1:0', 'anthropic.claude-3-haiku-20240307-v1:0:200k',
  'anthropic.claude-3-haiku-20240307-v1:0:48k', 'anthropic.claude-3-opus-20240229-v1:0', 'anthropic.claude-3-opus-20240229-v1:0:12k',
  'anthropic.claude-3-opus-20240229-v1:0:200k', 'anthropic.claude-3-opus-20240229-v1:0:28k', 'anthropic.claude-3-sonnet-20240229-v1:0',
  'anthropic.claude-3-sonnet-20240229-v1:0:200k', 'anthropic.claude-3-sonnet-20240229-v1:0:28k',
  'anthropic.claude-haiku-4-5-20251001-v1:0', 'anthropic.claude-instant-v1', 'anthropic.claude-instant-v1:2:100k',
  'anthropic.claude-opus-4-1-20250805-v1:0', 'anthropic.claude-opus-4-20250514-v1:0', 'anthropic.claude-opus-4-5-20251101-v1:0',
  'anthropic.claude-opus-4-6-v1', 'anthropic.claude-opus-4-7', 'anthropic.claude-opus-4-8', 'anthropic.claude-sonnet-4-20250514-v1:0',
  'anthropic.claude-sonnet-4-5-20250929-v1:0', 'anthropic.claude-sonnet-4-6', 'anthropic.claude-sonnet-5', 'anthropic.claude-v1',
  'anthropic.claude-v2', 'anthropic.claude-v2:0:100k', 'anthropic.claude-v2:0:18k', 'anthropic.claude-v2:1', 'anthropic.claude-v2:1:18k',
  'anthropic.claude-v2:1:200k',
  // cohere
  'cohere.command-light-text-v14', 'cohere.command-light-text-v14:7:4k', 'cohere.command-r-plus-v1:0', 'cohere.command-r-v1:0',
  'cohere.command-text-v14', 'cohere.command-text-v14:7:4k', 'cohere.embed-english-v3', 'cohere.embed-english-v3:0:512',
  'cohere.embed-multilingual-v3', 'cohere.embed-multilingual-v3:0:512', 'cohere.embed-v4:0', 'cohere.rerank-v3-5:0',
  // deepseek
  'deepseek.r1-v1:0', 'deepseek.v3-v1:0',
  // luma
  'luma.ray-v2:0',
  // meta
  'meta.llama2-13b-chat-v1', 'meta.llama2-13b-chat-v1:0:4k', 'meta.llama2-13b-v1', 'meta.llama2-13b-v1:0:4k', 'meta.llama2-70b-chat-v1',
  'meta.llama2-70b-chat-v1:0:4k', 'meta.llama2-70b-v1', 'meta.llama2-70b-v1:0:4k', 'meta.llama3-1-405b-instruct-v1:0',
  'meta.llama3-1-70b-instruct-v1:0', 'meta.llama3-1-70b-instruct-v1:0:128k', 'meta.llama3-1-8b-instruct-v1:0',
  'meta.llama3-1-8b-instruct-v1:0:128k', 'meta.llama3-2-11b-instruct-v1:0', 'meta.llama3-2-1b-instruct-v1:0',
  'meta.llama3-2-3b-instruct-v1:0', 'meta.llama3-2-90b-instruct-v1:0', 'meta.llama3-3-70b-instruct-v1:0', 'meta.llama3-70b-instruct-v1:0',
  'meta.llama3-8b-instruct-v1:0', 'meta.llama4-maverick-17b-instruct-v1:0', 'meta.llama4-scout-17b-instruct-v1:0',
  // minimax
  'minimax.minimax-m2', 'minimax.minimax-m2.1', 'minimax.minimax-m2.5',
  // mistral
  'mistral.mistral-7b-instruct-v0:2', 'mistral.mistral-large-2402-v1:0', 'mistral.mistral-large-2407-v1:0',
  'mistral.mistral-small-2402-v1:0', 'mistral.mixtral-8x7b-instruct-v0:1', 'mistral.pixtral-large-2502-v1:0',
  // openai
  'openai.gpt-oss-120b-1:0', 'openai.gpt-oss-20b-1:0',
  // qwen
  'qwen.qwen3-235b-a22b-2507-v1:0', 'qwen.qwen3-32b-v1:0', 'qwen.qwen3-coder-30b-a3b-v1:0', 'qwen.qwen3-coder-480b-a35b-v1:0',
  // stability
  'stability.sd3-5-large-v1:0', 'stability.sd3-large-v1:0', 'stability.stable-diffusion-xl', 'stability.stable-diffusion-xl-v0',
  'stability.stable-diffusion-xl-v1', 'stability.stable-diffusion-xl-v1:0', 'stability.stable-image-core-v1:0',
  'stability.stable-image-core-v1:1', 'stability.stable-image-ultra-v1:0', 'stability.stable-image-ultra-v1:1',
  // twelvelabs
  'twelvelabs.marengo-embed-2-7-v1:0', 'twelvelabs.marengo-embed-3-0-v1:0', 'twelvelabs.pegasus-1-2-v1:0',
  // writer
  'writer.palmyra-x4-v1:0', 'writer.palmyra-x5-v1:0',
  // zai
  'zai.glm-4.7', 'zai.glm-4.7-flash', 'zai.glm-5',
]);

/** True when Bedrock is known to offer the foundation model. */
export function isKnownFoundationModel(id: string): boolean {
  return KNOWN_FOUNDATION_MODELS.has(id);
}
