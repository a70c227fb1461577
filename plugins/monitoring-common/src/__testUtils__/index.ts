export * from './crdValidator';
export * from './kubeModelValidator';
export * from './entityFixtures';
