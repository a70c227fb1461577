module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  overrides: [
    {
      // The renderer's tests validate its output with the Kubernetes API stand-in's CRD
      // validator: a Node test dependency of an isomorphic package, never imported by its code.
      files: ['src/**/*.test.ts'],
      rules: {
        '@backstage/no-mixed-plugin-imports': [
          'warn',
          {
            excludedTargetPackages: ['@prometheus-ocs/kubernetes-api-standin'],
          },
        ],
      },
    },
  ],
});
