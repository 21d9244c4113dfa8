// The `domain` of a gateway: a regional custom domain name in front of its stage, shared by gateways through base paths.
import { z } from 'zod';
import { ARN_PREFIX, orToken } from './tokens';

/** A lower-case host name, as API Gateway and ACM take it. */
export const hostName = z
  .string()
  .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, 'a domain is a lower-case host name such as api.example.com');

export const customDomainSchema = z.strictObject({
  name: hostName,
  /** ACM certificate covering `name`, in the API's own region (a regional custom domain). */
  certificateArn: orToken(
    z
      .string()
      .regex(
        /^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[A-Za-z0-9-]+$/,
        'certificateArn is an ACM certificate ARN: arn:aws:acm:<region>:123456789012:certificate/…',
      ),
    ARN_PREFIX,
  ),
  /**
   * Path under the domain this gateway answers at (`orders` or `orders/v1`); API Gateway strips it before routing.
   * Gateways sharing a domain each take their own base path; at most one takes the root.
   */
  basePath: z
    .string()
    .regex(
      /^[A-Za-z0-9._~-]+(\/[A-Za-z0-9._~-]+)*$/,
      'basePath is one or more path segments without leading or trailing "/", e.g. orders or orders/v1',
    )
    .optional(),
  /** `false` turns the API's own execute-api URL off, so clients can only call through this domain. */
  executeApiEndpoint: z.boolean().default(true),
});

export type CustomDomainSpec = z.output<typeof customDomainSchema>;
