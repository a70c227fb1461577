import '@testing-library/jest-dom';

// jsdom has no ResizeObserver; recharts' ResponsiveContainer needs one to mount.
if (!('ResizeObserver' in globalThis)) {
  class ResizeObserverStub {
    observe() {}
    unobserve() {}
    disconnect() {}
  }
  Object.defineProperty(globalThis, 'ResizeObserver', {
    value: ResizeObserverStub,
    configurable: true,
  });
}

// Dialog flows with user-event take several seconds on a loaded 2-core CI machine; jest's 5 s
// default made them flaky there. Assertions still wait for behaviour, not for time.
jest.setTimeout(30_000);
