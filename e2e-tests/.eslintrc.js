module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  // Playwright's reports and traces are build output, not source.
  ignorePatterns: ['test-results/', 'e2e-test-report/', 'playwright-report/'],
});
