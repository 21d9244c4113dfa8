// Resolves the few CloudFormation intrinsics a synthesized definition uses into the local stand-ins `gatehouse local` serves.

/** Stand-ins for the pseudo parameters: nothing here names a real account. */
export const LOCAL_ACCOUNT = '000000000000';
export const LOCAL_REGION = 'us-east-1';
export const LOCAL_PARTITION = 'aws';

export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly Metadata?: Record<string, unknown>;
}

export type CfnResources = Readonly<Record<string, CfnResource>>;

/**
 * The value of `value` with Ref, Fn::Join, Fn::Sub and Fn::GetAtt resolved: a Ref to a resource is its
 * logical id (the local stand-in for its name), a function's Arn is built from its FunctionName (or logical id).
 */
export function resolveIntrinsics(value: unknown, resources: CfnResources): unknown {
  if (Array.isArray(value)) return value.map((v) => resolveIntrinsics(v, resources));
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 1) {
    const [key, arg] = entries[0]!;
    if (key === 'Ref') return refOf(String(arg), resources);
    if (key === 'Fn::GetAtt') {
      const [id, attr] = Array.isArray(arg) ? (arg as string[]) : String(arg).split('.');
      return getAtt(id!, attr!, resources);
    }
    if (key === 'Fn::Join') {
      const [sep, parts] = arg as [string, unknown[]];
      return (resolveIntrinsics(parts, resources) as unknown[]).map(String).join(sep);
    }
    if (key === 'Fn::Sub') {
      const [text, vars] = Array.isArray(arg) ? (arg as [string, Record<string, unknown>]) : [String(arg), {}];
      return text.replace(/\$\{([^}]+)\}/g, (_, name: string) => {
        if (name in vars) return String(resolveIntrinsics(vars[name], resources));
        const [id, attr] = name.split('.');
        return String(attr ? getAtt(id!, attr, resources) : refOf(id!, resources));
      });
    }
  }
  return Object.fromEntries(entries.map(([k, v]) => [k, resolveIntrinsics(v, resources)]));
}

function refOf(name: string, resources: CfnResources): string {
  switch (name) {
    case 'AWS::Partition':
      return LOCAL_PARTITION;
    case 'AWS::Region':
      return LOCAL_REGION;
    case 'AWS::AccountId':
      return LOCAL_ACCOUNT;
    case 'AWS::URLSuffix':
      return 'amazonaws.com';
    case 'AWS::StackName':
      return 'Gatehouse';
    default: {
      const resource = resources[name];
      if (resource?.Type === 'AWS::Lambda::Function') return functionName(name, resources);
      return name;
    }
  }
}

function getAtt(id: string, attr: string, resources: CfnResources): string {
  const resource = resources[id];
  if (resource?.Type === 'AWS::Lambda::Function' && attr === 'Arn') return functionArn(functionName(id, resources));
  if (attr === 'Arn') return `arn:${LOCAL_PARTITION}:local:${LOCAL_REGION}:${LOCAL_ACCOUNT}:${id}`;
  return `${id}.${attr}`;
}

/** A function's deployed name: its FunctionName when the template sets one, else its logical id. */
export function functionName(logicalId: string, resources: CfnResources): string {
  const name = resources[logicalId]?.Properties?.FunctionName;
  return typeof name === 'string' ? name : logicalId;
}

export function functionArn(name: string): string {
  return `arn:${LOCAL_PARTITION}:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:${name}`;
}

/** The function name an API Gateway Lambda integration or authorizer URI invokes (`.../functions/<arn>/invocations`). */
export function functionNameOfUri(uri: string): string | undefined {
  const match = /:function:([^/:]+)(?::[^/]+)?\/invocations$/.exec(uri) ?? /functions\/([^/]+)\/invocations$/.exec(uri);
  return match?.[1];
}
