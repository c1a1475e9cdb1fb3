// Prints the names the installed gateward package exports, and those whose value is undefined.
const gateward = require('gateward');
const names = Object.keys(gateward);
console.log(JSON.stringify({ names, undefinedNames: names.filter((name) => gateward[name] === undefined) }));
