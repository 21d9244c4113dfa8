// Help texts of every command: `gatehouse --help`, `gatehouse <command> --help`, and what a usage error prints.

export const USAGE = `Usage: gatehouse <command> [options] [file]

Commands:
  validate [file]   check a config: every problem at once with file:line:col, then the planner's warnings
  explain [file]    print the plan: one row per route with its integration, features and why,
                    and the stack's resources against CloudFormation's limits
  local [file] [--port 8080] [--upstream SERVICE=URL] [--echo]
                    serve every gateway on 127.0.0.1 from the synthesized assembly (gatehouse local --help)
  init [file]       write a commented starter gatehouse.yaml
  keys <command>    create, list, rotate and revoke consumers' API keys (gatehouse keys --help)
  export openapi [file] [--gateway NAME] [--aws-extensions]
                    print each gateway's OpenAPI document (gatehouse export --help)
  verify --url URL [file]
                    run the plan's conformance checks against a running gateway (gatehouse verify --help)

Options:
  -h, --help        help for gatehouse or a command (gatehouse validate --help)
  -V, --version     print Gatehouse's version

file defaults to ./gatehouse.yaml.
Exit codes: 0 ok, 1 the config is invalid or the command failed, 2 the command line is wrong.`;

export const VALIDATE_USAGE = `Usage: gatehouse validate [options] [file]

Checks the config as \`cdk synth\` would (schema, cross-field rules, the planner's quota and capability
checks, the shipped stack's own checks) and prints every problem at once with file:line:col.
Warnings are printed but do not fail the check; silence a reviewed one with acknowledge: in the config.

Options:
  --json            print one JSON object on stdout: { file, valid, problems, warnings, acknowledged, gateways, routes }
  -q, --quiet       print problems only: nothing when the config is valid
  -h, --help        this help

Exit codes: 0 valid (warnings allowed), 1 invalid, 2 usage error.`;

export const EXPLAIN_USAGE = `Usage: gatehouse explain [options] [file]

Prints the plan: per gateway one row per route (integration, features, why), proxies, auth, edge,
cost, observability, resources against CloudFormation's limits, then warnings and acknowledged warnings.

Options:
  --json            print the plan as JSON on stdout (problems as validate --json prints them when invalid)
  -v, --verbose     also list the x- extension keys the loader ignored
  -q, --quiet       leave out the warnings
  -h, --help        this help

Exit codes: 0 explained, 1 invalid config, 2 usage error.`;

export const INIT_USAGE = `Usage: gatehouse init [options] [file]

Writes a commented starter config (default ./gatehouse.yaml) that validates as written. Asks nothing.

Options:
  --flavor rest|http  REST API (default: usage plans, API keys, WAF on the stage) or HTTP API (cheaper)
  --issuer url        trust JWTs from this OpenID issuer and protect the example route with them
  --audience aud      the audience tokens must carry (with --issuer; default: the file's gateway name "api")
  --force             overwrite an existing file
  -h, --help          this help

Exit codes: 0 written, 1 the file exists (without --force) or cannot be written, 2 usage error.`;

export const LOCAL_USAGE = `Usage: gatehouse local [options] [file]

Synthesizes the config and serves each gateway on 127.0.0.1 from what would ship: the API definitions
in the assembly (routing, gateway responses, CORS, validators, resource policy), the Lambda bundles run in
worker threads (authorizers, proxies, aggregators), API keys and usage plans counted locally, and one
access-log line per request in the deployed format on stderr. Stop with Ctrl-C.

Options:
  -p, --port N              port of the first gateway; further gateways take the next ports (default 8080, 0: any)
  --upstream SERVICE=URL    send a service (or SERVICE.TARGET) to URL instead of its configured URL; repeatable
  --echo                    send every service without --upstream to a built-in echo server (answers with the
                            request it received as JSON)
  --no-state                never start moto_server: DynamoDB/Secrets Manager calls of the handlers are refused
  -h, --help                this help

REST gateways answer under their stage path (http://127.0.0.1:8080/prod/...), HTTP APIs at the root.
Exit codes: 0 stopped, 1 invalid config or a port in use, 2 usage error.`;

export const VERIFY_USAGE = `Usage: gatehouse verify --url URL [options] [file]

Runs a conformance suite generated from the config's plan against a running gateway (deployed or
\`gatehouse local\`): routes and methods, CORS preflights and CORS on gateway errors, 401/403 for bad
tokens, identity headers a client cannot spoof, API keys, request validation, the execute-api URL
behind CloudFront, rate limits. Only the URLs given are called; every request has a deadline and the
run a request cap. Checks that need something not given (a token, an echo upstream) are skipped with why.

Options:
  --url URL                   the stage URL (https://<id>.execute-api.<region>.amazonaws.com/prod), domain or distribution
  --gateway NAME              the gateway the URL serves (required when the config has several)
  --token JWT                 a valid token with every scope and role the JWT routes need
  --token-without-scope JWT   a valid token lacking a route's scope or role (those routes must answer 403)
  --expired-token JWT         an expired token of the issuer (must answer 401; 403 behind an HTTP API Lambda authorizer, given the route's scope and role)
  --api-key KEY               a key of a usage plan the keyed routes accept
  --execute-api-url URL       behind CloudFront: the API's own URL, which must refuse requests
  --include-rate-limits       also exhaust each exact rate limit (at most 30 requests per limit)
  --skip <id>                 report the checks with this id or id prefix as skipped (repeatable), e.g. paths.dot-segments
  --max-requests N            cap on the run's requests (default 400); checks past it are skipped
  --timeout-ms N              deadline of each request (default 10000)
  --json                      print the report as JSON: { file, gateway, url, checks, summary, ok }
  -q, --quiet                 print failed checks only
  -h, --help                  this help

Exit codes: 0 no check failed (skips allowed), 1 a check failed or the config is invalid, 2 usage error.`;
