// The live suite's files run in name order, so the audit check (zz-audit) runs after every test
// whose secrets it looks for.
const Sequencer = require('@jest/test-sequencer').default;

class ByName extends Sequencer {
  sort(tests) {
    return [...tests].sort((a, b) => a.path.localeCompare(b.path));
  }
}

module.exports = ByName;
