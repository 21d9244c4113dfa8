// Type-level test: each documented spec interface (lib/config/types) is the zod schema's input type, field for field.
// `tsc --noEmit` checks this file, and test/config/spec-types.test.ts compiles it so `npm test` fails on drift too.
// A field added to a schema but not to its interface fails as: Type '"newField"' does not satisfy the constraint 'never'.
import type { z } from 'zod';
import type { acknowledgementSchema } from '../../lib/config/acknowledge-schema';
import type { aggregatePartSchema, aggregateSchema } from '../../lib/config/aggregate-schema';
import type { gatewayAuthSchema, jwtAuthSchema, routeAuthSchema, trustedIssuerSchema } from '../../lib/config/auth-schema';
import type { customDomainSchema } from '../../lib/config/domain-schema';
import type {
  cloudfrontSchema,
  edgeSchema,
  mtlsSchema,
  routeCacheSchema,
  routeValidateSchema,
  wafSchema,
} from '../../lib/config/edge-schema';
import type { observabilitySchema } from '../../lib/config/observability-schema';
import type { rateLimitSchema } from '../../lib/config/rate-limit-schema';
import type {
  accountSchema,
  consumerSchema,
  corsSchema,
  endpointSchema,
  gatewaySchema,
  planSchema,
  routeSchema,
  specSchema,
  stageSchema,
} from '../../lib/config/schema';
import type {
  circuitBreakerSchema,
  fallbackSchema,
  lastGoodSchema,
  proxyFunctionSchema,
  requestTransformSchema,
  responseTransformSchema,
  retriesSchema,
  serviceSchema,
  targetSchema,
} from '../../lib/config/service-schema';
import type { throttleSchema } from '../../lib/config/throttle-schema';
import type { privateSchema } from '../../lib/config/private-schema';
import type * as T from '../../lib/config/types';

type In<S extends z.ZodType> = NonNullable<z.input<S>>;
type Keys<O> = O extends object ? keyof O : never;

/** Fields the schema has and the interface lacks (must be never). */
type MissingFromInterface<I, S extends z.ZodType> = Exclude<Keys<In<S>>, Keys<I>>;
/** Fields the interface has and the schema lacks (must be never). */
type UnknownToSchema<I, S extends z.ZodType> = Exclude<Keys<I>, Keys<In<S>>>;

/** Compiles only when both lists are empty; the type error names the offending field. */
const sameFields = <Missing extends never, Unknown extends never>(): [Missing?, Unknown?] => [];
// The whole config, both ways, which covers every nested type: a typed spec is accepted by the schema, and every
// schema input fits the interfaces. An error here ends with the property whose type differs.
declare const typed: T.GatehouseSpec;
declare const schemaInput: z.input<typeof specSchema>;
export const typedSpecFitsSchema: z.input<typeof specSchema> = typed;
export const schemaInputFitsTypes: T.GatehouseSpec = schemaInput;
declare const routeAuth: z.input<typeof routeAuthSchema>;
export const routeAuthFitsTypes: T.RouteAuthSpec = routeAuth;

// Field lists per section, so a missing field is named.
sameFields<MissingFromInterface<T.GatehouseSpec, typeof specSchema>, UnknownToSchema<T.GatehouseSpec, typeof specSchema>>();
sameFields<MissingFromInterface<T.AccountSpec, typeof accountSchema>, UnknownToSchema<T.AccountSpec, typeof accountSchema>>();
sameFields<
  MissingFromInterface<T.KeyExpirySpec, NonNullable<typeof accountSchema.shape.keyExpiry>>,
  UnknownToSchema<T.KeyExpirySpec, typeof accountSchema.shape.keyExpiry>
>();
sameFields<
  MissingFromInterface<T.QuotasSpec, typeof accountSchema.shape.quotas>,
  UnknownToSchema<T.QuotasSpec, typeof accountSchema.shape.quotas>
>();
sameFields<MissingFromInterface<T.GatewaySpec, typeof gatewaySchema>, UnknownToSchema<T.GatewaySpec, typeof gatewaySchema>>();
sameFields<MissingFromInterface<T.EndpointSpec, typeof endpointSchema>, UnknownToSchema<T.EndpointSpec, typeof endpointSchema>>();
sameFields<MissingFromInterface<T.StageSpec, typeof stageSchema>, UnknownToSchema<T.StageSpec, typeof stageSchema>>();
sameFields<MissingFromInterface<T.CorsSpec, typeof corsSchema>, UnknownToSchema<T.CorsSpec, typeof corsSchema>>();
sameFields<
  MissingFromInterface<T.CorrelationIdSpec, typeof gatewaySchema.shape.correlationId>,
  UnknownToSchema<T.CorrelationIdSpec, typeof gatewaySchema.shape.correlationId>
>();
sameFields<MissingFromInterface<T.RouteSpec, typeof routeSchema>, UnknownToSchema<T.RouteSpec, typeof routeSchema>>();
sameFields<MissingFromInterface<T.UsagePlanSpec, typeof planSchema>, UnknownToSchema<T.UsagePlanSpec, typeof planSchema>>();
sameFields<MissingFromInterface<T.ConsumerSpec, typeof consumerSchema>, UnknownToSchema<T.ConsumerSpec, typeof consumerSchema>>();
sameFields<MissingFromInterface<T.ThrottleSpec, typeof throttleSchema>, UnknownToSchema<T.ThrottleSpec, typeof throttleSchema>>();
sameFields<MissingFromInterface<T.RateLimitSpec, typeof rateLimitSchema>, UnknownToSchema<T.RateLimitSpec, typeof rateLimitSchema>>();
sameFields<
  MissingFromInterface<T.ObservabilitySpec, typeof observabilitySchema>,
  UnknownToSchema<T.ObservabilitySpec, typeof observabilitySchema>
>();
sameFields<
  MissingFromInterface<T.AlarmsSpec, typeof observabilitySchema.shape.alarms>,
  UnknownToSchema<T.AlarmsSpec, typeof observabilitySchema.shape.alarms>
>();
sameFields<MissingFromInterface<T.ServiceSpec, typeof serviceSchema>, UnknownToSchema<T.ServiceSpec, typeof serviceSchema>>();
sameFields<MissingFromInterface<T.TargetSpec, typeof targetSchema>, UnknownToSchema<T.TargetSpec, typeof targetSchema>>();
sameFields<MissingFromInterface<T.PrivateServiceSpec, typeof privateSchema>, UnknownToSchema<T.PrivateServiceSpec, typeof privateSchema>>();
sameFields<
  MissingFromInterface<T.CircuitBreakerSpec, typeof circuitBreakerSchema>,
  UnknownToSchema<T.CircuitBreakerSpec, typeof circuitBreakerSchema>
>();
sameFields<MissingFromInterface<T.RetriesSpec, typeof retriesSchema>, UnknownToSchema<T.RetriesSpec, typeof retriesSchema>>();
sameFields<MissingFromInterface<T.FallbackSpec, typeof fallbackSchema>, UnknownToSchema<T.FallbackSpec, typeof fallbackSchema>>();
sameFields<MissingFromInterface<T.LastGoodSpec, typeof lastGoodSchema>, UnknownToSchema<T.LastGoodSpec, typeof lastGoodSchema>>();
sameFields<MissingFromInterface<T.FunctionSpec, typeof proxyFunctionSchema>, UnknownToSchema<T.FunctionSpec, typeof proxyFunctionSchema>>();
sameFields<
  MissingFromInterface<T.RequestTransformSpec, typeof requestTransformSchema>,
  UnknownToSchema<T.RequestTransformSpec, typeof requestTransformSchema>
>();
sameFields<
  MissingFromInterface<T.ResponseTransformSpec, typeof responseTransformSchema>,
  UnknownToSchema<T.ResponseTransformSpec, typeof responseTransformSchema>
>();
sameFields<
  MissingFromInterface<T.GatewayAuthSpec, typeof gatewayAuthSchema>,
  UnknownToSchema<T.GatewayAuthSpec, typeof gatewayAuthSchema>
>();
sameFields<MissingFromInterface<T.JwtAuthSpec, typeof jwtAuthSchema>, UnknownToSchema<T.JwtAuthSpec, typeof jwtAuthSchema>>();
sameFields<
  MissingFromInterface<T.TrustedIssuerSpec, typeof trustedIssuerSchema>,
  UnknownToSchema<T.TrustedIssuerSpec, typeof trustedIssuerSchema>
>();
sameFields<
  MissingFromInterface<T.IssuerGrantsSpec, NonNullable<typeof trustedIssuerSchema.in.shape.grants>>,
  UnknownToSchema<T.IssuerGrantsSpec, typeof trustedIssuerSchema.in.shape.grants>
>();
sameFields<
  MissingFromInterface<T.CognitoIssuerSpec, NonNullable<typeof trustedIssuerSchema.in.shape.cognito>>,
  UnknownToSchema<T.CognitoIssuerSpec, typeof trustedIssuerSchema.in.shape.cognito>
>();
sameFields<
  MissingFromInterface<T.AcknowledgementSpec, typeof acknowledgementSchema>,
  UnknownToSchema<T.AcknowledgementSpec, typeof acknowledgementSchema>
>();
sameFields<
  MissingFromInterface<T.JwksFetchSpec, typeof jwtAuthSchema.shape.jwks>,
  UnknownToSchema<T.JwksFetchSpec, typeof jwtAuthSchema.shape.jwks>
>();
sameFields<
  MissingFromInterface<T.IdentityHeadersSpec, typeof jwtAuthSchema.shape.identityHeaders>,
  UnknownToSchema<T.IdentityHeadersSpec, typeof jwtAuthSchema.shape.identityHeaders>
>();
sameFields<MissingFromInterface<T.EdgeSpec, typeof edgeSchema>, UnknownToSchema<T.EdgeSpec, typeof edgeSchema>>();
sameFields<MissingFromInterface<T.WafSpec, typeof wafSchema>, UnknownToSchema<T.WafSpec, typeof wafSchema>>();
sameFields<MissingFromInterface<T.CloudfrontSpec, typeof cloudfrontSchema>, UnknownToSchema<T.CloudfrontSpec, typeof cloudfrontSchema>>();
sameFields<MissingFromInterface<T.MtlsSpec, typeof mtlsSchema>, UnknownToSchema<T.MtlsSpec, typeof mtlsSchema>>();
sameFields<
  MissingFromInterface<T.CustomDomainSpec, typeof customDomainSchema>,
  UnknownToSchema<T.CustomDomainSpec, typeof customDomainSchema>
>();
sameFields<
  MissingFromInterface<T.RouteValidateSpec, typeof routeValidateSchema>,
  UnknownToSchema<T.RouteValidateSpec, typeof routeValidateSchema>
>();
sameFields<MissingFromInterface<T.RouteCacheSpec, typeof routeCacheSchema>, UnknownToSchema<T.RouteCacheSpec, typeof routeCacheSchema>>();
sameFields<MissingFromInterface<T.AggregateSpec, typeof aggregateSchema>, UnknownToSchema<T.AggregateSpec, typeof aggregateSchema>>();
sameFields<
  MissingFromInterface<T.AggregatePartSpec, typeof aggregatePartSchema>,
  UnknownToSchema<T.AggregatePartSpec, typeof aggregatePartSchema>
>();
