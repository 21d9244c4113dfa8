// The `auth` sections of the spec: the gateway's JWT issuers and each route's scope/role requirements.
import { Aws, Token } from 'aws-cdk-lib';
import type { IUserPool, IUserPoolClient } from 'aws-cdk-lib/aws-cognito';
import { z } from 'zod';
import { orToken, URL_PREFIX } from './tokens';

/** Asymmetric JWS algorithms only: an HS* key would be the issuer's public key, the classic confusion attack. */
export const JWT_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'] as const;

const headerName = z.string().regex(/^[A-Za-z0-9-]+$/, 'a header name uses letters, digits and "-"');

/** How routes and aggregates refer to a trusted issuer (`auth.jwt.issuers: [partner]`). */
export const issuerName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'an issuer name is 1-64 letters, digits, "_", "." or "-", e.g. partner-idp');

/**
 * What an issuer may grant. A scope or role outside these lists in one of its tokens is ignored:
 * it opens no route and never reaches the identity headers. A list left out is not restricted.
 */
const issuerGrantsSchema = z
  .strictObject({
    scopes: z.array(z.string().min(1)).optional(),
    roles: z.array(z.string().min(1)).optional(),
  })
  .refine((g) => g.scopes !== undefined || g.roles !== undefined, {
    error: 'grants restricts nothing: list the scopes and/or roles this issuer may grant (an empty list: none), or remove grants',
  });

/** `eu-west-1_AbCdEf123`: a user pool id is its region, "_", and an id. */
const COGNITO_POOL_ID = /^([a-z]{2}(?:-[a-z]+)+-\d)_[0-9A-Za-z]+$/;
const AWS_REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

/**
 * A Cognito user pool as the issuer. Its tokens' `iss` is `https://cognito-idp.<region>.amazonaws.com/<poolId>`
 * and its keys are at `<iss>/.well-known/jwks.json`; access tokens name the app client in `client_id`
 * and carry no `aud`, id tokens carry it in `aud`
 * (https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-tokens-verifying-a-jwt.html,
 * https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-the-access-token.html).
 */
const cognitoIssuerSchema = z
  .strictObject({
    /** The pool's id; or, in a TypeScript spec, `userPool`. */
    userPoolId: orToken(z.string().regex(COGNITO_POOL_ID, 'a user pool id is <region>_<id>, e.g. eu-west-1_AbCdEf123')).optional(),
    /** TypeScript specs: the pool itself (`cognito.IUserPool`), instead of userPoolId. */
    userPool: z
      .custom<IUserPool>(
        (v) => typeof v === 'object' && v !== null && typeof (v as IUserPool).userPoolId === 'string',
        'userPool is a cognito.IUserPool (TypeScript specs only; a config file gives userPoolId)',
      )
      .optional(),
    /** TypeScript specs: the app clients (`cognito.IUserPoolClient`), instead of or besides clientIds. */
    clients: z
      .array(
        z.custom<IUserPoolClient>(
          (v) => typeof v === 'object' && v !== null && typeof (v as IUserPoolClient).userPoolClientId === 'string',
          'a client is a cognito.IUserPoolClient (TypeScript specs only; a config file gives clientIds)',
        ),
      )
      .min(1, 'list at least one app client, or leave clients out')
      .optional(),
    /** @default - the region the pool id starts with; for a pool id known only at deploy (a CDK token), the stack's region */
    region: z.string().regex(AWS_REGION, 'region is an AWS region code such as eu-west-1').optional(),
    /** App clients whose tokens are accepted: `client_id` of an access token, or `aud` of an id token. */
    clientIds: z
      .array(
        orToken(
          z
            .string()
            .regex(/^[\w+]{1,128}$/, 'an app client id uses letters, digits, "_" and "+" (at most 128), e.g. 1example23456789abcdefghijk'),
        ),
      )
      .min(1, 'list the app client ids whose tokens this API accepts; without them any app client of the pool could call it')
      .optional(),
  })
  .superRefine((c, ctx) => {
    if ((c.userPoolId === undefined) === (c.userPool === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['userPoolId'],
        message: c.userPool
          ? 'give either userPoolId or userPool, not both'
          : 'required field is missing (expected string): the user pool id, e.g. eu-west-1_AbCdEf123 (or userPool in a TypeScript spec)',
      });
    }
    if (c.clientIds === undefined && c.clients === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['clientIds'],
        message:
          'required field is missing (expected array): the app client ids whose tokens this API accepts (or clients in a TypeScript spec); without them any app client of the pool could call it',
      });
    }
  })
  .transform(({ userPool, clients, ...c }) => ({
    ...c,
    userPoolId: c.userPoolId ?? userPool!.userPoolId,
    clientIds: [...(c.clientIds ?? []), ...(clients ?? []).map((client) => client.userPoolClientId)],
  }));

export const trustedIssuerSchema = z
  .strictObject({
    /** Exact `iss` of the tokens; its OIDC discovery document gives the JWKS unless jwksUri is set. Or give `cognito`. */
    issuer: orToken(
      z.url({
        protocol: /^https?$/,
        error: 'issuer must be the issuer URL exactly as in the tokens\' "iss", e.g. https://login.example.com/',
      }),
      URL_PREFIX,
    ).optional(),
    /** Accepted `aud` values (with `cognito`: its clientIds). */
    audience: z.array(z.string().min(1)).min(1, 'list at least one audience, e.g. [orders-api]').optional(),
    jwksUri: orToken(z.url({ protocol: /^https?$/, error: 'jwksUri must be an http(s) URL' }), URL_PREFIX).optional(),
    /** A Cognito user pool: expands to its issuer URL, JWKS and app-client check. */
    cognito: cognitoIssuerSchema.optional(),
    /**
     * A JWKS JSON file baked into the authorizer at synth, relative to the config file: it keeps tokens
     * verifiable while the live JWKS is unreachable. A baked key the live JWKS no longer lists stops
     * being trusted within jwks.cacheMaxAgeSeconds.
     */
    jwksFile: z.string().optional(),
    /** The name routes and aggregates use in `auth.jwt.issuers` to accept this issuer's tokens. */
    name: issuerName.optional(),
    /** @default - this issuer may grant every scope and role */
    grants: issuerGrantsSchema.optional(),
  })
  .superRefine((i, ctx) => {
    if (i.cognito) {
      // The pool decides the issuer URL and its keys, so a second source for either could only disagree.
      for (const field of ['issuer', 'jwksUri', 'audience'] as const) {
        if (i[field] !== undefined) {
          ctx.addIssue({
            code: 'custom',
            path: [field],
            message: `give either cognito or ${field}, not both: cognito sets the issuer URL, its JWKS and the accepted app clients (cognito.clientIds)`,
          });
        }
      }
      const poolRegion = COGNITO_POOL_ID.exec(i.cognito.userPoolId)?.[1];
      if (poolRegion && i.cognito.region && AWS_REGION.test(i.cognito.region) && i.cognito.region !== poolRegion) {
        ctx.addIssue({
          code: 'custom',
          path: ['cognito', 'region'],
          message: `user pool ${i.cognito.userPoolId} is in ${poolRegion}, not ${i.cognito.region}: remove region (the pool id gives it), or fix the pool id`,
        });
      }
      return;
    }
    if (i.issuer === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['issuer'],
        message: 'required field is missing (expected string): the issuer URL, e.g. https://login.example.com/, or a cognito user pool',
      });
    }
    if (i.audience === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['audience'],
        message: 'required field is missing (expected array): the accepted audiences, e.g. [orders-api]',
      });
    }
  })
  .transform(({ cognito, ...i }) => {
    if (!cognito) return { ...i, issuer: i.issuer!, audience: i.audience!, cognito: undefined };
    // A pool id that is a token has no readable prefix: the pool is taken to be in the stack's region.
    const region =
      cognito.region ?? COGNITO_POOL_ID.exec(cognito.userPoolId)?.[1] ?? (Token.isUnresolved(cognito.userPoolId) ? Aws.REGION : '');
    return { ...i, cognito: { ...cognito, region }, issuer: cognitoIssuerUrl(region, cognito.userPoolId), audience: cognito.clientIds };
  });

/** The `iss` of a user pool's tokens (the HTTP API JWT authorizer documents the same form for Cognito issuers). */
export function cognitoIssuerUrl(region: string, userPoolId: string): string {
  return `https://cognito-idp.${region}.amazonaws.com/${userPoolId}`;
}

export const jwtAuthSchema = z.strictObject({
  issuers: z.array(trustedIssuerSchema).min(1, 'list at least one issuer'),
  algorithms: z
    .array(z.enum(JWT_ALGORITHMS, { error: `an algorithm is one of ${JWT_ALGORITHMS.join(', ')} (HS* and none are never accepted)` }))
    .min(1)
    .default(['RS256', 'ES256']),
  clockToleranceSeconds: z.number().int().min(0).max(300, 'clockToleranceSeconds above 300 s accepts long-expired tokens').default(30),
  maxTokenAgeSeconds: z.number().int().positive().optional(),
  requiredClaims: z.array(z.string()).default([]),
  scopeClaims: z.array(z.string()).min(1).default(['scope', 'scp']),
  roleClaims: z.array(z.string()).default(['roles', 'cognito:groups']),
  clientIdClaims: z.array(z.string()).min(1).default(['client_id', 'azp', 'cid']),
  /**
   * Meter JWT clients against usage plans: the authorizer returns the token's client id as the API
   * key (API Gateway's AUTHORIZER key source), and each consumer names its `clientId`.
   */
  clientIdAsApiKey: z.boolean().default(false),
  /** How long API Gateway caches the authorizer's policy per token. */
  cacheTtlSeconds: z.number().int().min(0).max(3600, 'API Gateway caches authorizer results for at most 3600 s').default(300),
  jwks: z
    .strictObject({
      timeoutMs: z.number().int().min(100).max(10_000).default(1500),
      cacheMaxAgeSeconds: z.number().int().min(0).default(600),
      cooldownSeconds: z.number().int().min(0).default(30),
    })
    .prefault({}),
  identityHeaders: z
    .strictObject({
      userId: headerName.default('X-User-Id'),
      roles: headerName.default('X-User-Roles'),
      scopes: headerName.default('X-User-Scopes'),
      clientId: headerName.default('X-Client-Id'),
    })
    .prefault({}),
});

export const gatewayAuthSchema = z.strictObject({ jwt: jwtAuthSchema.optional() });

/** A route's requirement: `auth: jwt` (any valid token) or `auth: { jwt: { scopes, roles } }`. */
export const routeAuthSchema = z
  .union(
    [
      z.literal('jwt'),
      z.strictObject({
        jwt: z
          .strictObject({
            /** Every listed scope is required (403 without). */
            scopes: z.array(z.string().min(1)).default([]),
            /** At least one listed role is required (403 without). */
            roles: z.array(z.string().min(1)).default([]),
            /** Names of the gateway's issuers whose tokens this route accepts. @default - every trusted issuer */
            issuers: z
              .array(issuerName)
              .min(1, 'list at least one issuer name, or remove issuers to accept every trusted issuer')
              .optional(),
          })
          .prefault({}),
      }),
    ],
    { error: 'auth is "jwt" or { jwt: { scopes: [...], roles: [...], issuers: [...] } }' },
  )
  .transform((a) => (a === 'jwt' ? { jwt: { scopes: [] as string[], roles: [] as string[] } } : a));

export type JwtAuthSpec = z.output<typeof jwtAuthSchema>;
export type TrustedIssuerSpec = z.output<typeof trustedIssuerSchema>;
export type RouteAuthSpec = z.output<typeof routeAuthSchema>;
