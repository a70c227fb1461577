export { runPrometheusOcsCli } from './runCli';
export type { CliIo } from './runCli';
export { renderEntities, renderedObjectsToYaml } from './renderEntities';
export type { RenderEntitiesResult, RenderedObject } from './renderEntities';
