// `gatehouse verify` as a library: run the plan's conformance suite against a URL and read the report.
export { runVerify, VerifyUsageError } from './run';
export { generateChecks } from './generate';
export { formatReport } from './report';
export { echoedRequest, type EchoedRequest } from './echo';
export { httpTransport } from './http-transport';
export { RequestBudgetExhausted } from './client';
export * from './types';
