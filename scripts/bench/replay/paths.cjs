// The replay bench runs the project's own code compiled into .local/bench/replay: the @ruta/*
// path aliases of tsconfig.json resolve there (the Nest build rewrites them; this compile does not).
const path = require('node:path');
const { register } = require('tsconfig-paths');

register({
  baseUrl: path.resolve(__dirname, '../../../.local/bench/replay'),
  paths: { '@ruta/*': ['libs/*/src/index'] },
});
