// Names the origin-verify check shares with the constructs that deploy it; no imports, so synth loads no SDK.

/** The header CloudFront sends with the origin-verify secret. */
export const ORIGIN_VERIFY_HEADER = 'X-Origin-Verify';

/** Environment variable with the ARN of the secret whose current (or previous) value the header must carry. */
export const ORIGIN_VERIFY_SECRET_ENV = 'GATEHOUSE_ORIGIN_VERIFY_SECRET_ARN';
