import * as fs from 'fs';
import * as path from 'path';
import { PermissionSnapshot } from '../../src';
import { synthesizeAwsPlane } from '../support/aws-example';

// One normalized JSON file per principal of the example gateway, committed next to this test.
// A change in any role's permissions fails here and shows as a diff in review. After an
// intended change, regenerate with: UPDATE_PERMISSION_SNAPSHOTS=1 npx jest test/aws/permission-snapshots

const SNAPSHOT_DIR = path.join(__dirname, '__permissions__');
const updating = process.env.UPDATE_PERMISSION_SNAPSHOTS === '1';
const snapshot = PermissionSnapshot.fromTemplateJson(JSON.stringify(synthesizeAwsPlane().template.toJSON()));
const fileOf = (principal: string) => path.join(SNAPSHOT_DIR, `${principal.replace(/^[^/]+\//, '').replace(/\//g, '.')}.json`);

if (updating) {
  fs.rmSync(SNAPSHOT_DIR, { recursive: true, force: true });
  fs.mkdirSync(SNAPSHOT_DIR, { recursive: true });
  for (const principal of snapshot.principals) fs.writeFileSync(fileOf(principal), snapshot.principal(principal));
}

test('every principal has a committed snapshot, and no snapshot is stale', () => {
  const files = fs.existsSync(SNAPSHOT_DIR) ? fs.readdirSync(SNAPSHOT_DIR).sort() : [];
  expect(files).toEqual(snapshot.principals.map((p) => path.basename(fileOf(p))).sort());
});

test.each(snapshot.principals)('%s has exactly its committed permissions', (principal) => {
  const committed = fs.existsSync(fileOf(principal)) ? fs.readFileSync(fileOf(principal), 'utf-8') : '(no snapshot)';
  expect(snapshot.principal(principal)).toEqual(committed);
});
