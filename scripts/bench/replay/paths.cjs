// The replay bench runs the project's own code compiled into .local/bench/replay: the path aliases
// of tsconfig.json (@ruta/*) resolve to the compiled files there (the Nest build rewrites them in
// dist/; this compile does not).
const path = require('node:path');
const { register } = require('tsconfig-paths');
const { compilerOptions } = require('../../../tsconfig.json');

const compiled = (target) => target.replace(/^\.\//, '').replace(/\.ts$/, '');
register({
  baseUrl: path.resolve(__dirname, '../../../.local/bench/replay'),
  paths: Object.fromEntries(
    Object.entries(compilerOptions.paths).map(([alias, targets]) => [alias, targets.map(compiled)]),
  ),
});
