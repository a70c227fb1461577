export { NotOptedInState } from './NotOptedInState';
