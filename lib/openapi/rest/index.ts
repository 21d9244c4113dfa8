export { renderRestDefinition, type RestFunctionUris } from './document';
export type { SwaggerDocument, SwaggerOperation, SwaggerIntegration } from './swagger';
export { IMPORT_VARIABLES, restFunctionNames, restFunctionUris, type ArnContext, type RestFunctionNames } from './function-uris';
