import { CredentialKind, GatewaySpecValidator, TtlLimits } from '../../src';
import { specWith } from '../fixtures/specs';

describe('TtlLimits is the one set of limits', () => {
  test('ceilings: STS and Vault tokens an hour, database users a day', () => {
    expect(TtlLimits.all().map((l) => [l.kind, l.floorSeconds, l.ceilingSeconds])).toEqual([
      [CredentialKind.CLOUD_CREDENTIALS, 900, 3600],
      [CredentialKind.VAULT_TOKENS, 60, 3600],
      [CredentialKind.DATABASE_CREDENTIALS, 60, 86400],
    ]);
  });

  // The validator reads the same values: every limit is accepted exactly, refused one second out.
  describe.each(TtlLimits.all().map((l) => [l.kind, l] as const))('%s', (kind, limit) => {
    const withBounds = (bounds: object) => specWith((s) => { s.ttls = { [kind]: bounds }; });
    test('floor and ceiling are valid', () => {
      expect(GatewaySpecValidator.problems(withBounds({ defaultSeconds: limit.floorSeconds, maxSeconds: limit.ceilingSeconds }))).toEqual([]);
      expect(GatewaySpecValidator.problems(withBounds({ defaultSeconds: limit.ceilingSeconds, maxSeconds: limit.ceilingSeconds }))).toEqual([]);
    });
    test('one second above the ceiling is refused', () => {
      expect(GatewaySpecValidator.problems(withBounds({ maxSeconds: limit.ceilingSeconds + 1 })).map((p) => [p.path, p.message]))
        .toEqual([[`ttls.${kind}.maxSeconds`, expect.stringContaining(`ceiling of ${limit.ceilingSeconds} s`)]]);
    });
    test('one second below the floor is refused', () => {
      expect(GatewaySpecValidator.problems(withBounds({ defaultSeconds: limit.floorSeconds - 1 })).map((p) => [p.path, p.message]))
        .toEqual([[`ttls.${kind}.defaultSeconds`, expect.stringContaining(`floor of ${limit.floorSeconds} s`)]]);
    });
  });
});
