// The proxy's transformation module: what the handler calls to reshape requests, responses and paths.
export { PATH_REWRITE_ERROR_CODES, PathRewriteError, type PathRewriteErrorCode } from './errors';
export type { HeaderMap, ProxyRequestMessage, ProxyResponseMessage } from '../../shared/apigw/messages';
export { MAX_DECODED_BODY_BYTES } from './content-coding';
export { encodeRouteParameter, rewritePath, type RouteParameters } from './path-rewrite';
export { withRouteParameters } from './path-values';
export { transformRequest } from './transform-request';
export { transformResponse } from './transform-response';
