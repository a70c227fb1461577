import '@testing-library/jest-dom';

// jsdom has no ResizeObserver; the Monitoring tab's graphs (recharts' ResponsiveContainer) need
// one to mount. A stub that never reports a size, as in the monitoring plugin's own setupTests.
globalThis.ResizeObserver ??= class {
  observe() {}
  unobserve() {}
  disconnect() {}
};
