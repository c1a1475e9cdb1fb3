/* eslint-disable */
// Generated from src/spec/gateway-spec.ts by test/spec/support/spec-schema-generator.ts; do not edit.
// The same schema is committed as schema/gateway-spec.schema.json; a test fails when either drifts.

/** The JSON Schema (draft-07) of `GatewaySpec`. */
export const GATEWAY_SPEC_SCHEMA = {
  "$schema": "http://json-schema.org/draft-07/schema#",
  "title": "GatewaySpec",
  "description": "The description of one LLM gateway, from which both the AWS plane and the Vault plane are built.",
  "$ref": "#/definitions/GatewaySpec",
  "definitions": {
    "AwsEnvironment": {
      "type": "object",
      "description": "Where the AWS plane lives.",
      "properties": {
        "account": {
          "type": "string",
          "description": "The 12-digit AWS account id the gateway is deployed to. May be an unresolved CDK token (for example `Aws.ACCOUNT_ID`) for an environment-agnostic AWS plane; the Vault plane needs a literal."
        },
        "region": {
          "type": "string",
          "description": "The AWS region the gateway is deployed to, e.g. `us-east-1`."
        },
        "partition": {
          "type": "string",
          "description": "The AWS partition. Must match the region (`cn-*` regions are in `aws-cn`, `us-gov-*` in `aws-us-gov`, and so on).\n\nDefault: 'aws'"
        }
      },
      "required": [
        "account",
        "region"
      ],
      "additionalProperties": false
    },
    "DataAccess": {
      "type": "string",
      "description": "What a tenant's dynamic database credentials may do in its schema.",
      "enum": [
        "read-only",
        "read-write"
      ]
    },
    "DataStoreEngine": {
      "type": "string",
      "description": "The database engines the gateway issues dynamic credentials for.",
      "enum": [
        "postgresql"
      ]
    },
    "DataStoreSpec": {
      "type": "object",
      "description": "A database schema a tenant's calls may read (or write), reached with dynamic credentials.",
      "properties": {
        "id": {
          "type": "string",
          "description": "Unique within the tenant. Lower-case letters, digits and single hyphens, e.g. `kb-vectors`."
        },
        "engine": {
          "$ref": "#/definitions/DataStoreEngine",
          "description": "The database engine.\n\nDefault: DataStoreEngine.POSTGRESQL"
        },
        "host": {
          "type": "string",
          "description": "The database host name or IP address, without scheme or port."
        },
        "port": {
          "type": "number",
          "description": "The database port.\n\nDefault: 5432"
        },
        "database": {
          "type": "string",
          "description": "The database name."
        },
        "schema": {
          "type": "string",
          "description": "The schema that holds this tenant's data. Credentials are granted on this schema only."
        },
        "access": {
          "$ref": "#/definitions/DataAccess",
          "description": "What the tenant's credentials may do in the schema.\n\nDefault: DataAccess.READ_ONLY"
        }
      },
      "required": [
        "id",
        "host",
        "database",
        "schema"
      ],
      "additionalProperties": false
    },
    "EksServiceAccountSpec": {
      "type": "object",
      "description": "An EKS (or other Kubernetes) service account, identified by its cluster's OIDC issuer.",
      "properties": {
        "oidcIssuerUrl": {
          "type": "string",
          "description": "The cluster's OIDC issuer URL, e.g. `https://oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE`. Must be `https://` and have no trailing slash."
        },
        "namespace": {
          "type": "string",
          "description": "The Kubernetes namespace of the service account. An exact name; wildcards are refused."
        },
        "name": {
          "type": "string",
          "description": "The name of the service account. An exact name; wildcards are refused."
        },
        "audience": {
          "type": "string",
          "description": "The audience the workload's projected service-account token carries, which Vault's JWT auth method binds to. Give one that names this gateway: a generic audience such as `vault` would accept tokens minted for any other Vault in the organization.\n\nDefault: - `gateward:<gateway name>` (`GatewayNaming.workloadTokenAudience`)"
        }
      },
      "required": [
        "oidcIssuerUrl",
        "namespace",
        "name"
      ],
      "additionalProperties": false
    },
    "GatewayOwners": {
      "type": "object",
      "description": "The three owners every gateway names. Each is accountable for one kind of change.",
      "properties": {
        "policy": {
          "$ref": "#/definitions/OwnerSpec",
          "description": "Accountable for who may use what: the Cedar policies, tenants and their grants."
        },
        "operations": {
          "$ref": "#/definitions/OwnerSpec",
          "description": "Accountable for running the gateway: compute, alarms, audit sinks."
        },
        "credentialLifecycle": {
          "$ref": "#/definitions/OwnerSpec",
          "description": "Accountable for credentials: provider keys, their rotation, Vault engines and TTLs."
        }
      },
      "required": [
        "policy",
        "operations",
        "credentialLifecycle"
      ],
      "additionalProperties": false
    },
    "GatewaySpec": {
      "type": "object",
      "description": "The description of one LLM gateway, from which both the AWS plane and the Vault plane are built.",
      "properties": {
        "name": {
          "type": "string",
          "description": "The gateway's name: the prefix of every physical name. Lower-case letters, digits and single hyphens, starting with a letter, 3 to 32 characters, e.g. `acme-llm`."
        },
        "aws": {
          "$ref": "#/definitions/AwsEnvironment",
          "description": "Where the AWS plane lives."
        },
        "owners": {
          "$ref": "#/definitions/GatewayOwners",
          "description": "The three accountable owners."
        },
        "tenants": {
          "type": "array",
          "items": {
            "$ref": "#/definitions/TenantSpec"
          },
          "description": "The tenants. At least one."
        },
        "vault": {
          "$ref": "#/definitions/VaultServerSpec",
          "description": "The Vault server. Required to build the Vault plane.\n\nDefault: - no Vault plane can be built from this spec"
        },
        "ttls": {
          "$ref": "#/definitions/TtlPolicy",
          "description": "Lifetimes of issued credentials.\n\nDefault: - 15-minute defaults; 1-hour maxima"
        },
        "suspended": {
          "$ref": "#/definitions/SuspensionSpec",
          "description": "Suspended tenants and workloads.\n\nDefault: - nothing is suspended"
        },
        "sessionTags": {
          "type": "boolean",
          "description": "Whether Vault tags each target-role session with the gateway and tenant (`sts:TagSession`). Both planes read it: the Vault plane sends the tags, the AWS plane allows and requires them.\n\nDefault: true"
        }
      },
      "required": [
        "name",
        "aws",
        "owners",
        "tenants"
      ],
      "additionalProperties": false
    },
    "GuardrailSpec": {
      "type": "object",
      "description": "A Bedrock guardrail a tenant's Bedrock calls may apply (Converse's `guardrailConfig`).",
      "properties": {
        "id": {
          "type": "string",
          "description": "The guardrail id as Bedrock names it: lower-case letters and digits, e.g. `gr0abc123xyz` (not the ARN). The guardrail lives in the gateway's account and region."
        },
        "version": {
          "type": "string",
          "description": "The one version the tenant may apply: a version number (`1`, `2`, ...) or `DRAFT`.\n\nDefault: - any version of the guardrail"
        }
      },
      "required": [
        "id"
      ],
      "additionalProperties": false
    },
    "InferenceProfileSpec": {
      "type": "object",
      "description": "A system-defined cross-region inference profile a tenant may invoke.",
      "properties": {
        "id": {
          "type": "string",
          "description": "The inference-profile id: a geography prefix and a foundation-model id, e.g. `us.anthropic.claude-sonnet-4-20250514-v1:0`. `global.` profiles are supported."
        },
        "destinationRegions": {
          "type": "array",
          "items": {
            "type": "string"
          },
          "description": "The regions the profile routes requests to. The gateway grants the foundation model in each of them (Bedrock authorizes the model in the destination region), so list them exactly as the profile documents them. Required for geographic profiles; leave it out for `global.` profiles, which are authorized against the region-less foundation-model ARN.\n\nDefault: - none; required unless the profile is `global.`"
        }
      },
      "required": [
        "id"
      ],
      "additionalProperties": false
    },
    "OwnerSpec": {
      "type": "object",
      "description": "One accountable owner of the gateway.",
      "properties": {
        "contact": {
          "type": "string",
          "description": "Who answers for this part of the gateway: a team name or an e-mail address. It becomes a tag value on every AWS resource and metadata on Vault objects, so it may contain letters, digits, spaces and `_ . : / = + -"
        },
        "roleArn": {
          "type": "string",
          "description": "The IAM role through which this owner acts on the gateway (their pipeline or permission-set role). The credential-lifecycle owner's role may write and rotate provider keys but never read them.\n\nDefault: - the owner has no IAM principal of its own in the gateway's resource policies"
        }
      },
      "required": [
        "contact"
      ],
      "additionalProperties": false
    },
    "ProviderKeySpec": {
      "type": "object",
      "description": "A third-party model provider's API key that one tenant's calls may use.",
      "properties": {
        "id": {
          "type": "string",
          "description": "Unique within the tenant. Lower-case letters, digits and single hyphens, e.g. `openai`."
        },
        "provider": {
          "type": "string",
          "description": "The provider the key belongs to, e.g. `openai`, `anthropic`, `cohere`."
        },
        "rotationPeriodDays": {
          "type": "number",
          "description": "How often the key must be replaced, in days. At most 90.\n\nDefault: 30"
        },
        "description": {
          "type": "string",
          "description": "What the key is for, for reviewers.\n\nDefault: - no description"
        }
      },
      "required": [
        "id",
        "provider"
      ],
      "additionalProperties": false
    },
    "SuspensionSpec": {
      "type": "object",
      "description": "Tenants and workloads that are suspended: they keep their definitions but every request is refused and no credential is issued for them. Suspension is a data change, not a code change.",
      "properties": {
        "tenants": {
          "type": "array",
          "items": {
            "type": "string"
          },
          "description": "Ids of suspended tenants.\n\nDefault: - none"
        },
        "workloads": {
          "type": "array",
          "items": {
            "type": "string"
          },
          "description": "Ids of suspended workloads.\n\nDefault: - none"
        }
      },
      "additionalProperties": false
    },
    "TenantSpec": {
      "type": "object",
      "description": "A tenant: a group of workloads and everything they may use. Nothing crosses tenants.",
      "properties": {
        "id": {
          "type": "string",
          "description": "Unique across the gateway. Lower-case letters, digits and single hyphens, starting with a letter, e.g. `support`."
        },
        "description": {
          "type": "string",
          "description": "What the tenant is, for reviewers.\n\nDefault: - no description"
        },
        "workloads": {
          "type": "array",
          "items": {
            "$ref": "#/definitions/WorkloadSpec"
          },
          "description": "The workloads that call the gateway on the tenant's behalf. At least one."
        },
        "foundationModels": {
          "type": "array",
          "items": {
            "type": "string"
          },
          "description": "Bedrock foundation-model ids the tenant may invoke in the gateway's region, e.g. `anthropic.claude-3-5-haiku-20241022-v1:0`.\n\nDefault: - none"
        },
        "inferenceProfiles": {
          "type": "array",
          "items": {
            "$ref": "#/definitions/InferenceProfileSpec"
          },
          "description": "Bedrock cross-region inference profiles the tenant may invoke.\n\nDefault: - none"
        },
        "guardrails": {
          "type": "array",
          "items": {
            "$ref": "#/definitions/GuardrailSpec"
          },
          "description": "Bedrock guardrails the tenant's Bedrock calls may apply. Only for a tenant with `foundationModels` or `inferenceProfiles`; a request that names any other guardrail is refused.\n\nDefault: - none; a request with a guardrail is refused"
        },
        "providerKeys": {
          "type": "array",
          "items": {
            "$ref": "#/definitions/ProviderKeySpec"
          },
          "description": "Third-party provider keys the tenant's calls may use.\n\nDefault: - none"
        },
        "dataStores": {
          "type": "array",
          "items": {
            "$ref": "#/definitions/DataStoreSpec"
          },
          "description": "Data stores the tenant's calls may read (or write).\n\nDefault: - none"
        },
        "tools": {
          "type": "array",
          "items": {
            "type": "string"
          },
          "description": "Ids of the tools the tenant's workloads may call, e.g. `web-search`.\n\nDefault: - none"
        }
      },
      "required": [
        "id",
        "workloads"
      ],
      "additionalProperties": false
    },
    "TtlBounds": {
      "type": "object",
      "description": "Default and maximum lifetime of one kind of issued credential.",
      "properties": {
        "defaultSeconds": {
          "type": "number",
          "description": "Lifetime of a credential when the caller does not ask for one, in seconds.\n\nDefault: - depends on the credential kind; see `TtlLimits`"
        },
        "maxSeconds": {
          "type": "number",
          "description": "Longest lifetime a caller may ask for, in seconds. Never above the kind's ceiling.\n\nDefault: - depends on the credential kind; see `TtlLimits`"
        }
      },
      "additionalProperties": false
    },
    "TtlPolicy": {
      "type": "object",
      "description": "Lifetimes of every credential the gateway issues. Short by default, capped by hard ceilings.",
      "properties": {
        "cloudCredentials": {
          "$ref": "#/definitions/TtlBounds",
          "description": "STS credentials for target roles (Bedrock, provider keys). Ceiling 1 hour, floor 15 minutes (the shortest session STS issues).\n\nDefault: - 15 minutes by default, 1 hour at most"
        },
        "vaultTokens": {
          "$ref": "#/definitions/TtlBounds",
          "description": "Vault tokens issued to the router and to workloads. Ceiling 1 hour: a gateway token is re-issued by logging in again, never renewed.\n\nDefault: - 15 minutes by default, 1 hour at most"
        },
        "databaseCredentials": {
          "$ref": "#/definitions/TtlBounds",
          "description": "Dynamic database users. Ceiling 24 hours.\n\nDefault: - 15 minutes by default, 1 hour at most"
        }
      },
      "additionalProperties": false
    },
    "VaultEdition": {
      "type": "string",
      "description": "The Vault editions, which differ in what the Vault plane may configure.",
      "enum": [
        "community",
        "enterprise"
      ]
    },
    "VaultServerSpec": {
      "type": "object",
      "description": "The Vault server the gateway's Vault plane configures.",
      "properties": {
        "address": {
          "type": "string",
          "description": "The server's address, `https://` only, e.g. `https://vault.acme.example:8200`."
        },
        "iamServerIdHeaderValue": {
          "type": "string",
          "description": "The value the AWS IAM auth method requires in the `X-Vault-AWS-IAM-Server-ID` header of a signed login, so a login signed for one Vault cannot be replayed against another.\n\nDefault: - the host name of `address`"
        },
        "edition": {
          "$ref": "#/definitions/VaultEdition",
          "description": "The server edition.\n\nDefault: VaultEdition.COMMUNITY"
        },
        "version": {
          "type": "string",
          "description": "The server version, `major.minor.patch`. Features are configured only where the version supports them; a field the server would silently ignore is never written.\n\nDefault: '1.15.0' (the oldest version the Terraform provider supports)"
        },
        "workloadIdentityAudience": {
          "type": "string",
          "description": "The plugin identity token audience with which Vault's AWS secrets engines assume the broker role, and its AWS auth method the verifier role, through workload identity federation (Vault Enterprise 1.17+). Both planes read it: the Vault plane sends it, the AWS plane's broker trust requires it.\n\nDefault: - Vault's own AWS credentials resolve to the broker role (no federation)"
        }
      },
      "required": [
        "address"
      ],
      "additionalProperties": false
    },
    "WorkloadSpec": {
      "type": "object",
      "description": "A caller of the gateway: one non-human identity, in exactly one tenant.\n\nSet exactly one of `roleArn` and `eksServiceAccount`.",
      "properties": {
        "id": {
          "type": "string",
          "description": "Unique across the whole gateway. Lower-case letters, digits and single hyphens, starting with a letter, e.g. `support-bot`."
        },
        "description": {
          "type": "string",
          "description": "What the workload is, for reviewers.\n\nDefault: - no description"
        },
        "roleArn": {
          "type": "string",
          "description": "The IAM role the workload runs as (an exact role ARN, not an assumed-role session ARN).\n\nDefault: - the workload proves its identity with `eksServiceAccount`"
        },
        "eksServiceAccount": {
          "$ref": "#/definitions/EksServiceAccountSpec",
          "description": "The Kubernetes service account the workload runs as.\n\nDefault: - the workload proves its identity with `roleArn`"
        }
      },
      "required": [
        "id"
      ],
      "additionalProperties": false
    }
  }
} as const;
