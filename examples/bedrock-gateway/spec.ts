import { DataAccess, GatewaySpec, VaultEdition } from '../../src';

/**
 * A realistic gateway: two tenants, three workloads (two IAM roles, one EKS service account),
 * a foundation model and a cross-region inference profile, one provider key and one
 * PostgreSQL vector store.
 */
export const exampleSpec: GatewaySpec = {
  name: 'acme-llm',
  aws: { account: '111122223333', region: 'us-east-1' },
  owners: {
    policy: {
      contact: 'ai-governance@acme.example',
      roleArn: 'arn:aws:iam::111122223333:role/acme-ai-governance',
    },
    operations: { contact: 'llm-platform@acme.example' },
    credentialLifecycle: {
      contact: 'secrets-ops@acme.example',
      roleArn: 'arn:aws:iam::111122223333:role/acme-secrets-rotation',
    },
  },
  tenants: [
    {
      id: 'support',
      description: 'Customer support assistants',
      workloads: [
        {
          id: 'support-bot',
          description: 'Chat assistant on the help centre',
          roleArn: 'arn:aws:iam::444455556666:role/support-bot-prod',
        },
        {
          id: 'ticket-summarizer',
          description: 'Batch job that summarizes closed tickets',
          eksServiceAccount: {
            oidcIssuerUrl: 'https://oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE',
            namespace: 'support',
            name: 'ticket-summarizer',
          },
        },
      ],
      foundationModels: ['anthropic.claude-3-5-haiku-20241022-v1:0'],
      // Version 1 only: a request naming another version of the guardrail is refused.
      guardrails: [{ id: 'gr0support1', version: '1' }],
      dataStores: [
        {
          id: 'kb-vectors',
          host: 'kb-vectors.cluster-c0abcdefghij.us-east-1.rds.amazonaws.com',
          database: 'knowledge',
          schema: 'support',
          access: DataAccess.READ_ONLY,
        },
      ],
      tools: ['ticket-search'],
    },
    {
      id: 'research',
      description: 'Internal research agents',
      workloads: [
        {
          id: 'research-agent',
          description: 'Agent that drafts literature reviews',
          roleArn: 'arn:aws:iam::111122223333:role/research-agent',
        },
      ],
      inferenceProfiles: [
        {
          id: 'us.anthropic.claude-sonnet-4-20250514-v1:0',
          destinationRegions: ['us-east-1', 'us-east-2', 'us-west-2'],
        },
      ],
      guardrails: [{ id: 'gr0research1' }],
      providerKeys: [{ id: 'openai', provider: 'openai', rotationPeriodDays: 30, description: 'Fallback completions' }],
      tools: ['web-search'],
    },
  ],
  vault: {
    address: 'https://vault.acme.example:8200',
    edition: VaultEdition.COMMUNITY,
    version: '1.20.4',
  },
  ttls: {
    cloudCredentials: { defaultSeconds: 900, maxSeconds: 3600 },
    vaultTokens: { defaultSeconds: 900, maxSeconds: 3600 },
    databaseCredentials: { defaultSeconds: 900, maxSeconds: 3600 },
  },
};
