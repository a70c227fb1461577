export * from './kubeModelValidator';
export * from './entityFixtures';
