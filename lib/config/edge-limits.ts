// AWS limits of WAF and CloudFront that the edge section is checked against, named once so every message quotes the same number.
//
// Sources:
// - WAF body inspection: "For CloudFront, API Gateway, Amazon Cognito, App Runner, and Verified Access, the default
//   limit is 16 KB (16,384 bytes), and you can increase the limit ... by increments of 16 KB, up to 64 KB"; larger
//   limits cost extra per request. ALB and AppSync are fixed at 8 KB.
//   https://docs.aws.amazon.com/waf/latest/developerguide/web-acl-setting-body-inspection-limit.html
// - WAF capacity: a web ACL holds at most 5,000 WCUs; the base price covers 1,500, each further 500 costs extra.
//   https://docs.aws.amazon.com/waf/latest/developerguide/aws-waf-capacity-units.html
// - Rate-based rules: limit ≥ 10, evaluation windows 60, 120, 300 or 600 s.
//   https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-rate-based.html

export const WAF_BODY_INSPECTION_DEFAULT_BYTES = 16 * 1024;
export const WAF_BODY_INSPECTION_MAX_BYTES = 64 * 1024;
/** The settings of a web ACL's AssociationConfig.RequestBody, smallest first. */
export const WAF_BODY_INSPECTION_LIMITS = [
  { setting: 'KB_16', bytes: 16 * 1024 },
  { setting: 'KB_32', bytes: 32 * 1024 },
  { setting: 'KB_48', bytes: 48 * 1024 },
  { setting: 'KB_64', bytes: 64 * 1024 },
] as const;

export const WAF_WCU_MAX = 5_000;
export const WAF_WCU_BASE_PRICE = 1_500;

export const WAF_RATE_LIMIT_MIN = 10;
export const WAF_RATE_WINDOWS_SECONDS = [60, 120, 300, 600] as const;

/** CloudFront's origin response timeout range in seconds (above 60 needs a quota increase). */
export const CLOUDFRONT_ORIGIN_READ_TIMEOUT_MAX_S = 60;

/** ISO 3166-1 alpha-2 codes, as WAF geo match statements take them. */
export const COUNTRY_CODES = (
  'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ ' +
  'CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR ' +
  'GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO ' +
  'JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR ' +
  'MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO ' +
  'RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV ' +
  'TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW'
).split(' ');
