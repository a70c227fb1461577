import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

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

// Tests wait for the final state (findBy*, waitFor), never for time; on a busy 2-core CI machine
// a dialog flow can take seconds, so the limit is generous: Testing Library's 1 s default failed
// there. The test time-out (the root package.json's jest.testTimeout) is generous for the same
// reason.
configure({ asyncUtilTimeout: 60_000 });
