import * as fs from 'fs';
import * as path from 'path';
import { CheckedPlane, NhiFinding } from './finding';
import { applyAcknowledgements, PlacedAcknowledgements, readRecords } from './private/acknowledgements';
import { toFinding } from './private/to-finding';
import { TerraformConfig, vaultFindings } from './private/vault-rules';

/**
 * The NHI rule pack over the Terraform JSON of any Vault configuration (synthesized by CDKTF or
 * written as `*.tf.json`): credential types, lifetimes of leases, tokens and users, the policies
 * workload roles hold (judged with the Vault plane's matcher), JWT bindings, secrets in the
 * configuration, and audit devices.
 */
export class VaultNhiChecker {
  /**
   * Findings in one Terraform JSON file.
   *
   * @param stackName where findings about the whole configuration are reported
   */
  public checkTerraformFile(file: string, stackName?: string): NhiFinding[] {
    const config = JSON.parse(fs.readFileSync(file, 'utf-8')) as TerraformConfig;
    const stack = stackName ?? path.basename(path.dirname(file));
    const findings = vaultFindings(config).map((raw) => toFinding(raw.ruleId, raw.address ?? stack, file, raw.message, raw.severity));
    const placed: PlacedAcknowledgements[] = [{ location: stack, file, plane: CheckedPlane.VAULT, records: readRecords(config['//']) }];
    for (const [type, byName] of Object.entries(config.resource ?? {})) {
      for (const [name, props] of Object.entries(byName)) {
        const records = readRecords(props['//']);
        if (records.length > 0) placed.push({ location: `${type}.${name}`, file, plane: CheckedPlane.VAULT, records });
      }
    }
    return applyAcknowledgements(findings, placed);
  }

  /**
   * Findings in every stack of a CDKTF output directory (`cdktf.out`, with its `manifest.json`).
   */
  public checkCdktfOutput(directory: string): NhiFinding[] {
    const manifest = JSON.parse(fs.readFileSync(path.join(directory, 'manifest.json'), 'utf-8')) as {
      stacks?: Record<string, { name: string; synthesizedStackPath: string }>;
    };
    return Object.values(manifest.stacks ?? {}).flatMap((stack) =>
      this.checkTerraformFile(path.join(directory, stack.synthesizedStackPath), stack.name));
  }
}
