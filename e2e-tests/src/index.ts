// The Kubernetes API stand-in, for the other packages' integration tests (test infrastructure only).
export * from './standin';
