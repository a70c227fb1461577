export { FieldList, ObjectStateTable } from './ObjectStateTable';
