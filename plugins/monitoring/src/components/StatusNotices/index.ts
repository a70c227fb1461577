export { StatusNotices } from './StatusNotices';
