// The header a gateway's CloudFront distribution sets to the viewer's IP address; no imports, so synth loads nothing else.

/**
 * Behind CloudFront the source IP API Gateway reports is a CloudFront server's, shared by every viewer of
 * that edge. A viewer-request CloudFront Function sets this header to the viewer's address, overwriting
 * whatever the client sent; the origin-verify check keeps callers from reaching the API around CloudFront
 * with a value of their own, so behind CloudFront the header can be trusted.
 */
export const VIEWER_IP_HEADER = 'X-Gatehouse-Viewer-IP';
