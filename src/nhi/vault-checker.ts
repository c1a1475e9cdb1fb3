import * as fs from 'fs';
import * as path from 'path';
import { NhiFinding } from './finding';
import { InputError } from './inputs/input-error';
import { checkTerraformSource } from './inputs/run-checks';
import { terraformJsonSourceSync } from './inputs/terraform-config';

/**
 * The NHI rule pack over the Terraform JSON of any Vault configuration (synthesized by CDKTF or
 * written as `*.tf.json`; variables with defaults resolved, those without marked unresolved): credential types, lifetimes of leases, tokens and users, the policies
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
    return checkTerraformSource(terraformJsonSourceSync(file, stackName));
  }

  /**
   * Findings in every stack of a CDKTF output directory (`cdktf.out`, with its `manifest.json`).
   */
  public checkCdktfOutput(directory: string): NhiFinding[] {
    const manifestFile = path.join(directory, 'manifest.json');
    const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf-8')) as {
      stacks?: Record<string, { name: string; synthesizedStackPath: string }>;
    };
    const stacks = Object.values(manifest.stacks ?? {});
    if (stacks.length === 0) throw new InputError(manifestFile, 'lists no CDKTF stack; give a synthesized CDKTF output directory (cdktf.out)');
    return stacks.flatMap((stack) => this.checkTerraformFile(path.join(directory, stack.synthesizedStackPath), stack.name));
  }
}
