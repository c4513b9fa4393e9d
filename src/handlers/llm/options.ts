import type { FromSchema } from "json-schema-to-ts";

/** One provider the handler may send to. */
const provider = {
  type: "object",
  properties: {
    name: {
      type: "string",
      pattern: "^[A-Za-z0-9_.-]{1,64}$",
      description: "What the gateway calls the provider: in the `x-portico-llm-provider` response header and in its logs.",
    },
    api: {
      enum: ["openai", "anthropic"],
      description:
        "The API the provider speaks: `openai` (chat completions, Responses and embeddings; also Azure-style, Groq, Mistral, vLLM, Ollama…) or `anthropic` (Messages, to and from which requests and answers are translated).",
    },
    url: {
      type: "string",
      minLength: 1,
      description:
        "The API's base URL, to which `/chat/completions`, `/responses`, `/embeddings` or `/messages` is added (default: https://api.openai.com/v1 or https://api.anthropic.com/v1).",
    },
    key: {
      type: "string",
      pattern: "^\\$\\{env\\.[A-Za-z_][A-Za-z0-9_]*\\}$",
      description:
        "The provider's API key, as `${env.NAME}` naming a Worker secret (`wrangler secret put NAME`): a key written in the document would be published with it. Sent as `Authorization: Bearer` (openai) or `x-api-key` (anthropic), never shown to the caller.",
    },
    model: {
      type: "string",
      minLength: 1,
      description: "The model asked of this provider, whatever the caller named (default: the caller's `model`).",
    },
    maxTokens: {
      type: "integer",
      minimum: 1,
      default: 4096,
      description:
        "anthropic: `max_tokens` when the caller gives none of `max_completion_tokens`, `max_tokens` or (Responses) `max_output_tokens` (the Messages API requires one).",
    },
  },
  required: ["name", "api"],
  additionalProperties: false,
} as const;

/** Options of the `llm` handler. */
export const options = {
  type: "object",
  properties: {
    providers: {
      type: "array",
      minItems: 1,
      items: provider,
      description:
        "The providers, in the order they are tried, each `{ name, api, url?, key?, model?, maxTokens? }` (docs/llm.md#providers): the first answers unless it fails as `fallbackOn` says, then the next, and so on.",
    },
    fallbackOn: {
      type: "array",
      items: { anyOf: [{ type: "integer", minimum: 400, maximum: 599 }, { const: "timeout" }] },
      default: [429, 500, 502, 503, 504, "timeout"],
      description:
        "What sends the request on to the next provider: these statuses, and `timeout`. A provider that cannot be reached is always passed over. Nothing falls back once the caller has received a byte.",
    },
    timeout: {
      type: "integer",
      minimum: 1,
      maximum: 600000,
      default: 30000,
      description:
        "Milliseconds a provider has before its first byte reaches the caller: the first event of a stream, a whole answer otherwise. Then the next provider is tried (with `timeout` in fallbackOn), or the caller gets 504.",
    },
    endpoint: {
      enum: ["chat", "responses", "embeddings"],
      description:
        "What the operation serves: OpenAI's chat completions, Responses API or embeddings (default: told by the operation's path, ending in /chat/completions, /responses or /embeddings).",
    },
  },
  required: ["providers"],
  additionalProperties: false,
} as const;

export type LlmOptions = FromSchema<typeof options>;
export type ProviderOptions = LlmOptions["providers"][number];
export type Endpoint = NonNullable<LlmOptions["endpoint"]>;
