const nxPreset = require('@nx/jest/preset').default;

// ESM-only packages must be transformed by ts-jest; listing them once here (not per
// project) keeps a project that imports a lib transitively from failing.
const esmOnly = ['p-limit', 'yocto-queue', 'hyparquet', 'hyparquet-writer', '@middy'];
// @middy/* export only an `import` condition, which jest's CommonJS resolver does not match.
const middy = (name) => require('node:path').join(__dirname, 'node_modules', '@middy', name, 'index.js');

module.exports = {
  ...nxPreset,
  testEnvironment: 'node',
  transform: {
    '^.+\\.[tj]s$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }],
  },
  transformIgnorePatterns: [`node_modules/(?!(${esmOnly.join('|')})/)`],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
  moduleNameMapper: { '^@middy/core$': middy('core'), '^@middy/util$': middy('util') },
};
