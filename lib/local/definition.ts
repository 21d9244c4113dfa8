// The type of an API definition read from the assembly: untyped JSON (Swagger 2.0 or OpenAPI 3 with x-amazon-apigateway-* extensions).

/**
 * A JSON object of a definition. `any` on purpose, in this one place: the documents are read, not built,
 * and every reader checks the shape it relies on (`typeof`, `String()`, `Number()`) where it reads it.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type JsonObject = Record<string, any>;
