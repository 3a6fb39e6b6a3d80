module.exports = {
  displayName: 'cloud-box',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  // The CDK app is synthesized once (with its Lambda bundles) for every spec of this project.
  globalSetup: '<rootDir>/synth.global-setup.cjs',
  coverageDirectory: '../../coverage/tools/cloud-box',
};
