// RequestValidation: the API's request validators (one per kind used) and body models (one per route), handed out per method.
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import { validatorKind } from '../../plan/edge';
import type { PlanMethod, RoutePlan } from '../../plan/types';
import { invalidProps } from '../validation-error';

const VALIDATORS = {
  'body-and-params': { id: 'ValidateBodyAndParams', validateRequestBody: true, validateRequestParameters: true },
  body: { id: 'ValidateBody', validateRequestBody: true, validateRequestParameters: false },
  params: { id: 'ValidateParams', validateRequestBody: false, validateRequestParameters: true },
} as const;

/** What a validated method adds to its MethodOptions. */
export interface ValidatedMethodOptions {
  readonly requestValidator?: apigw.IRequestValidator;
  readonly requestModels?: Record<string, apigw.IModel>;
  readonly requestParameters: Record<string, boolean>;
}

export class RequestValidation {
  public readonly validators = new Map<keyof typeof VALIDATORS, apigw.RequestValidator>();
  /** Body models by spec route index. */
  public readonly models = new Map<number, apigw.CfnModel>();
  private readonly modelRefs = new Map<number, apigw.IModel>();

  constructor(private readonly api: apigw.RestApi) {}

  /** Validator, model and required parameters for one method of a route; empty for unvalidated routes. */
  methodOptions(route: RoutePlan, method: PlanMethod): ValidatedMethodOptions {
    const validation = route.features.validation;
    const kind = validatorKind(validation, method);
    if (!validation || !kind) return { requestParameters: {} };
    const requestParameters = {
      ...Object.fromEntries(validation.query.map((q) => [`method.request.querystring.${q}`, true])),
      ...Object.fromEntries(validation.headers.map((h) => [`method.request.header.${h}`, true])),
    };
    const model = kind === 'params' ? undefined : this.model(route);
    return {
      requestValidator: this.validator(kind),
      requestModels: model ? { 'application/json': model } : undefined,
      requestParameters,
    };
  }

  private validator(kind: keyof typeof VALIDATORS): apigw.RequestValidator {
    let validator = this.validators.get(kind);
    if (!validator) {
      const { id, ...options } = VALIDATORS[kind];
      validator = this.api.addRequestValidator(id, options);
      this.validators.set(kind, validator);
    }
    return validator;
  }

  private model(route: RoutePlan): apigw.IModel {
    const body = route.features.validation?.body;
    if (!body) throw invalidProps(this.api, `RequestValidation: route ${route.path} validates its body but its plan has no body schema`);
    const known = this.modelRefs.get(route.routeIndex);
    if (known) return known;
    // The schema file goes in as written (CDK's JsonSchema type would rename keys such as $schema).
    const model = new apigw.CfnModel(this.api, `BodyModel${route.routeIndex}`, {
      restApiId: this.api.restApiId,
      contentType: 'application/json',
      description: `Request body of route ${route.routeIndex} (${route.name ?? route.path})`,
      schema: body.schema,
    });
    this.models.set(route.routeIndex, model);
    const ref = apigw.Model.fromModelName(this.api, `BodyModelRef${route.routeIndex}`, model.ref);
    this.modelRefs.set(route.routeIndex, ref);
    return ref;
  }
}
