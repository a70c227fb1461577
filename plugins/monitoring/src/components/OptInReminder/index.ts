export { OptInReminder } from './OptInReminder';
