import * as fs from 'fs';
import * as path from 'path';
import { NhiRules } from '../../src/nhi/rules';

// The labelled public corpus the benchmark (bench/rule-pack.ts) measures the rule pack
// on: every target names its source, keeps its input files, and labels that parse and match the
// fixed category vocabulary of test/fixtures/corpus/CATEGORIES.md.

const CORPUS = path.join(__dirname, '..', 'fixtures', 'corpus');
const map = JSON.parse(fs.readFileSync(path.join(CORPUS, 'category-map.json'), 'utf-8')) as {
  categories: string[];
  gateward: Record<string, string[]>;
  cdkNag: Record<string, string[]>;
  checkov: Record<string, string[]>;
};
const targets = fs.readdirSync(CORPUS).filter((name) => fs.statSync(path.join(CORPUS, name)).isDirectory()).sort();
const labelsOf = (target: string) => JSON.parse(fs.readFileSync(path.join(CORPUS, target, 'labels.json'), 'utf-8'));

describe('the labelled corpus', () => {
  test('holds at least 8 AWS and 8 Vault targets', () => {
    const planes = targets.map((t) => labelsOf(t).plane);
    expect(planes.filter((p) => p === 'aws').length).toBeGreaterThanOrEqual(8);
    expect(planes.filter((p) => p === 'vault').length).toBeGreaterThanOrEqual(8);
    expect(planes.every((p) => p === 'aws' || p === 'vault')).toBe(true);
  });

  test('label ids are unique across the corpus', () => {
    const ids = targets.flatMap((t) => labelsOf(t).labels.map((l: { id: string }) => l.id));
    expect(ids.length).toBeGreaterThan(0);
    expect(new Set(ids).size).toBe(ids.length);
  });

  describe.each(targets)('%s', (target) => {
    const dir = path.join(CORPUS, target);

    test('SOURCE.md names the repository, commit, paths and licence', () => {
      const source = fs.readFileSync(path.join(dir, 'SOURCE.md'), 'utf-8');
      expect(source).toMatch(/^- Repository: https:\/\/github\.com\/[\w.-]+\/[\w.-]+$/m);
      expect(source).toMatch(/^- Commit: [0-9a-f]{40}\b/m);
      expect(source).toMatch(/^- Path\(s\): \S/m);
      expect(source).toMatch(/^- Licence: \S/m);
    });

    test('labels.json parses, its inputs exist and every label is complete', () => {
      const doc = labelsOf(target);
      expect(doc.target).toBe(target);
      expect(Array.isArray(doc.inputs) && doc.inputs.length > 0).toBe(true);
      for (const input of doc.inputs) expect(fs.existsSync(path.join(dir, 'input', input))).toBe(true);
      // A target with no true problem (one for precision only) says what was considered instead.
      expect(doc.labels.length > 0 || (Array.isArray(doc.notProblems) && doc.notProblems.length > 0)).toBe(true);
      for (const label of doc.labels) {
        expect(Object.keys(label).sort()).toEqual(expect.arrayContaining(['category', 'file', 'id', 'reason', 'resource']));
        expect(Object.keys(label).filter((k) => !['id', 'resource', 'alsoMatches', 'file', 'category', 'reason'].includes(k))).toEqual([]);
        expect(typeof label.id === 'string' && label.id.length > 0).toBe(true);
        expect(typeof label.resource === 'string' && label.resource.length > 0).toBe(true);
        expect(label.alsoMatches === undefined || (Array.isArray(label.alsoMatches) && label.alsoMatches.every((r: unknown) => typeof r === 'string'))).toBe(true);
        expect(map.categories).toContain(label.category);
        expect(label.category).not.toBe('hygiene');
        expect(label.reason.length).toBeGreaterThan(20);
        expect(fs.existsSync(path.join(dir, 'input', label.file))).toBe(true);
      }
      for (const entry of doc.notProblems ?? []) {
        expect(typeof entry.resource).toBe('string');
        expect(entry.reason.length).toBeGreaterThan(20);
      }
    });

    test('no two labels share a resource and a category', () => {
      const keys = labelsOf(target).labels.map((l: { resource: string; category: string }) => `${l.resource} ${l.category}`);
      expect(new Set(keys).size).toBe(keys.length);
    });
  });
});

describe('the category map', () => {
  test('every engine rule maps to categories of the vocabulary', () => {
    for (const table of [map.gateward, map.cdkNag, map.checkov]) {
      for (const [rule, categories] of Object.entries(table)) {
        expect({ rule, unknown: categories.filter((c) => !map.categories.includes(c)) }).toEqual({ rule, unknown: [] });
        expect(categories.length).toBeGreaterThan(0);
      }
    }
  });

  test('every rule of the pack has a category, so none of its findings is dropped from the benchmark', () => {
    const unmapped = NhiRules.all().map((r) => r.id).filter((id) => !map.gateward[id]);
    expect(unmapped).toEqual([]);
  });

  test('CATEGORIES.md defines every category', () => {
    const doc = fs.readFileSync(path.join(CORPUS, 'CATEGORIES.md'), 'utf-8');
    for (const category of map.categories) expect(doc).toContain(`| \`${category}\` |`);
  });
});
