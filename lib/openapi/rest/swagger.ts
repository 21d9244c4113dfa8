// The slice of Swagger 2.0 (OpenAPI 2.0) a REST gateway's definition uses, with API Gateway's x-amazon-apigateway-* extensions.
//
// Why Swagger 2.0 and not OpenAPI 3.0: API Gateway imports both, but its list of import exceptions is about
// OpenAPI 3 ("Amazon API Gateway important notes for REST APIs",
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-known-issues.html#api-gateway-known-issues-rest-apis),
// every x-amazon-apigateway-* extension page documents its Swagger 2.0 form, and AWS SAM writes Swagger 2.0 for
// REST APIs by default, so it is the form most deployed and least surprising on import
// (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-import-api.html).

/** Integration object (x-amazon-apigateway-integration). */
export interface SwaggerIntegration {
  readonly type: 'http_proxy' | 'aws_proxy' | 'mock';
  readonly httpMethod?: string;
  readonly uri?: string;
  readonly passthroughBehavior: 'when_no_match' | 'when_no_templates' | 'never';
  readonly timeoutInMillis?: number;
  readonly requestParameters?: Record<string, string>;
  /** `VPC_LINK` for a private service, with the link's id in `connectionId`. */
  readonly connectionType?: 'INTERNET' | 'VPC_LINK';
  readonly connectionId?: string;
  readonly requestTemplates?: Record<string, string>;
  readonly contentHandling?: 'CONVERT_TO_TEXT' | 'CONVERT_TO_BINARY';
  readonly responses?: Record<string, SwaggerIntegrationResponse>;
}

export interface SwaggerIntegrationResponse {
  readonly statusCode: string;
  readonly responseParameters?: Record<string, string>;
  readonly responseTemplates?: Record<string, string>;
  readonly contentHandling?: 'CONVERT_TO_TEXT' | 'CONVERT_TO_BINARY';
}

export interface SwaggerParameter {
  readonly name: string;
  readonly in: 'path' | 'query' | 'header' | 'body';
  readonly required: boolean;
  readonly type?: 'string';
  readonly schema?: { readonly $ref: string };
}

export interface SwaggerOperation {
  readonly summary?: string;
  readonly consumes?: readonly string[];
  readonly produces?: readonly string[];
  readonly parameters?: readonly SwaggerParameter[];
  readonly responses: Record<string, { readonly description: string; readonly headers?: Record<string, { readonly type: 'string' }> }>;
  readonly security?: readonly Record<string, readonly string[]>[];
  readonly 'x-amazon-apigateway-request-validator'?: string;
  readonly 'x-amazon-apigateway-integration': SwaggerIntegration;
}

/** Operations of one path; `x-amazon-apigateway-any-method` is API Gateway's ANY. */
export type SwaggerPathItem = Record<string, SwaggerOperation>;

export interface GatewayResponseDefinition {
  readonly statusCode?: string;
  readonly responseParameters?: Record<string, string>;
  readonly responseTemplates?: Record<string, string>;
}

export interface SwaggerDocument {
  readonly swagger: '2.0';
  readonly info: { readonly title: string; readonly description?: string; readonly version: string };
  readonly schemes: readonly ['https'];
  readonly paths: Record<string, SwaggerPathItem>;
  readonly securityDefinitions?: Record<string, Record<string, unknown>>;
  readonly definitions?: Record<string, Record<string, unknown>>;
  readonly 'x-amazon-apigateway-api-key-source': 'HEADER' | 'AUTHORIZER';
  readonly 'x-amazon-apigateway-binary-media-types'?: readonly string[];
  readonly 'x-amazon-apigateway-gateway-responses'?: Record<string, GatewayResponseDefinition>;
  readonly 'x-amazon-apigateway-request-validators'?: Record<
    string,
    { readonly validateRequestBody: boolean; readonly validateRequestParameters: boolean }
  >;
}
