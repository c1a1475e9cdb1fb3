import * as path from 'path';
import { checkTerraformSource } from '../../../src/nhi/inputs/run-checks';
import { readTerraformDirectory } from '../../../src/nhi/inputs/terraform-config';

const FIXTURE = path.join(__dirname, 'fixtures', 'tf-module-order');

describe('local modules that read other modules\' outputs', () => {
  test('a module is read after the module whose output its arguments use, whatever their written order', async () => {
    const source = await readTerraformDirectory(FIXTURE);
    const policy = source.config.resource?.vault_policy?.module_approle_signer;
    // format() over the output, a reference to the PKI mount, keeps the reference in the policy text.
    expect(policy?.policy).toBe('path "${vault_mount.module_pki_login_ca.path}/sign/*" { capabilities = ["update"] }');
  });

  test('so the policy built from it is judged: a glob over every role of the CA', async () => {
    const findings = checkTerraformSource(await readTerraformDirectory(FIXTURE));
    expect(findings.filter((f) => f.ruleId === 'NHI-VAULT-POLICY-BROAD-GLOB').map((f) => f.location)).toEqual(['module.approle.vault_policy.signer']);
  });
});

describe('an argument a module\'s caller leaves out takes the variable\'s default', () => {
  test('a null default is null in a called module, so no credential is judged there; one the caller passes still is', async () => {
    const source = await readTerraformDirectory(FIXTURE);
    const tfe = source.config.resource?.tfe_variable ?? {};
    expect(tfe['module_pki_token[0]']?.value).toBeNull();
    const findings = checkTerraformSource(source);
    expect(findings.filter((f) => f.ruleId === 'NHI-TF-SECRET-IN-STATE').map((f) => f.location)).toEqual(['module.approle.tfe_variable.token[0]']);
  });
});
