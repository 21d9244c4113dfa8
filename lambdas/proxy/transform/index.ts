// The proxy's transformation module: what the handler calls to reshape requests, responses and paths.
export { checkTransformConfig } from './check-config';
export { PATH_REWRITE_ERROR_CODES, PathRewriteError, type PathRewriteErrorCode } from './errors';
export type { HeaderMap, ProxyRequestMessage, ProxyResponseMessage } from './messages';
export { MAX_DECODED_BODY_BYTES } from './content-coding';
export { rewritePath } from './path-rewrite';
export { transformRequest } from './transform-request';
export { transformResponse } from './transform-response';
