export {
  FieldList,
  ObjectResultTable,
  ObjectStateTable,
} from './ObjectStateTable';
