import { javascript } from 'projen';

/**
 * The folders of `src/` and which of our folders each may import. ESLint enforces it
 * (`import/no-restricted-paths` as an allowlist per folder, and banned packages per folder);
 * ARCHITECTURE.md explains why the arrows run this way.
 */
export interface Layer {
  /** The folder under `src/`. */
  readonly folder: string;
  /** Our other folders this one may import (it may always import itself). */
  readonly mayImport: string[];
  /** Packages this folder must never import, as `no-restricted-imports` patterns. */
  readonly bannedPackages: string[];
  /** Why the packages are banned, shown with the lint error. */
  readonly bannedReason?: string;
  /** Files of the folder (relative to it) the package ban does not apply to, each for a stated reason. */
  readonly exemptFiles?: string[];
}

/** Both construct frameworks, and the rule pack's CDK peer: none of them belongs in plain-data code. */
const CONSTRUCT_LIBRARIES = ['aws-cdk-lib', 'aws-cdk-lib/*', 'constructs', 'constructs/*', 'cdktf', 'cdktf/*', '@cdktf/*', 'cdk-nag', 'cdk-nag/*'];
const NEUTRAL = ['contract', 'vault-acl', 'problems'];

export const LAYERS: Layer[] = [
  {
    folder: 'contract',
    mayImport: [],
    bannedPackages: CONSTRUCT_LIBRARIES,
    bannedReason: 'the router contract is read by the bundled router, which carries no construct library',
  },
  {
    folder: 'vault-acl',
    // Its policy documents report refused rules through the one validation error.
    mayImport: ['problems'],
    bannedPackages: CONSTRUCT_LIBRARIES,
    bannedReason: 'the Vault ACL model is shared by the Vault plane and the rule pack, and is plain data',
  },
  {
    folder: 'problems',
    mayImport: [],
    bannedPackages: CONSTRUCT_LIBRARIES,
    bannedReason: 'the validation error and its problem list are plain data that every folder reports through',
  },
  {
    folder: 'spec',
    mayImport: NEUTRAL,
    bannedPackages: CONSTRUCT_LIBRARIES,
    bannedReason: 'the spec is plain data that both planes and the router read',
  },
  {
    folder: 'aws',
    mayImport: ['spec', ...NEUTRAL],
    bannedPackages: ['cdktf', 'cdktf/*', '@cdktf/*'],
    bannedReason: 'everything cdktf stays in src/vault, and an AWS-only app never loads it',
  },
  {
    folder: 'vault',
    mayImport: ['spec', ...NEUTRAL],
    bannedPackages: ['aws-cdk-lib', 'aws-cdk-lib/*', 'cdk-nag', 'cdk-nag/*'],
    bannedReason: 'the Vault plane is a CDKTF app: aws-cdk-lib and cdktf export clashing Aspects, Token, Lazy, Fn',
  },
  {
    folder: 'nhi',
    mayImport: ['spec', ...NEUTRAL],
    // HashiCorp's HCL parser (WASM, no cdktf inside) reads Terraform's .tf files.
    bannedPackages: ['cdktf', 'cdktf/*', '@cdktf/*', '!@cdktf/hcl2json'],
    bannedReason: 'the rule pack reads Terraform (HCL through @cdktf/hcl2json, and JSON); cdktf (deprecated) stays in src/vault and the one writer of acknowledgements into CDKTF apps',
    // Rule-pack API that writes into a CDKTF app: it needs cdktf's stack and resource classes.
    exemptFiles: ['terraform-nhi-acknowledgements.ts'],
  },
  {
    folder: 'review',
    mayImport: ['nhi', 'spec', ...NEUTRAL],
    bannedPackages: ['cdktf', 'cdktf/*', '@cdktf/*'],
    bannedReason: 'the CLI reads synthesized output; cdktf (deprecated) stays in src/vault',
  },
  {
    folder: 'runtime',
    // Only type imports from spec: a separate rule below refuses value imports.
    mayImport: ['contract', 'spec'],
    bannedPackages: CONSTRUCT_LIBRARIES,
    bannedReason: 'the router is bundled into its Lambda asset and carries no construct library',
  },
];

/** The folders the router may import types (never values) from. */
const RUNTIME_TYPE_ONLY = ['**/spec', '**/spec/**'];

/** The `import/no-restricted-paths` zones: for each folder, everything of ours except what it may import. */
export function layeringZones(): Record<string, unknown>[] {
  return LAYERS.map((layer) => {
    const allowed = [layer.folder, ...layer.mayImport];
    return {
      target: `./src/${layer.folder}`,
      from: './src',
      except: allowed.map((folder) => `./${folder}`),
      message: `src/${layer.folder} may import only ${allowed.map((folder) => `src/${folder}`).join(', ')}${layer.folder === 'runtime' ? ' (spec: types only)' : ''} (ARCHITECTURE.md, "Folders").`,
    };
  });
}

/** Adds the layering rules to the project's ESLint configuration. */
export function addLayering(eslint: javascript.Eslint): void {
  eslint.addRules({ 'import/no-restricted-paths': ['error', { zones: layeringZones() }] });

  for (const layer of LAYERS) {
    const patterns: Record<string, unknown>[] = [];
    if (layer.bannedPackages.length > 0) {
      patterns.push({ group: layer.bannedPackages, message: `src/${layer.folder} must not import this package: ${layer.bannedReason}.` });
    }
    if (layer.folder === 'runtime') {
      patterns.push({ group: RUNTIME_TYPE_ONLY, allowTypeImports: true, message: 'the router may import only types from src/spec (use `import type`); shared values belong in src/contract.' });
    }
    if (patterns.length === 0) continue;
    eslint.addOverride({
      files: [`src/${layer.folder}/**/*.ts`],
      ...(layer.exemptFiles ? { excludedFiles: layer.exemptFiles.map((file) => `src/${layer.folder}/${file}`) } : {}),
      rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns }] },
    });
  }
}
