// What the origin-verify authorizer publishes, named once for the handler and for the gateway's dashboard; no imports, so synth loads nothing.

/** Metric names. */
export const METRIC = {
  /** A request without CloudFront's origin-verify value (missing or wrong): a direct call to the API's own URL. */
  refused: 'OriginVerifyRefused',
} as const;
