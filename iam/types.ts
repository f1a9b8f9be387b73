// Plain IAM document types, shared by the builders, the components, the policy pack and the plan.
// No Pulumi import here: everything in iam/ is pure and testable without mocks.

export type OneOrMany<T> = T | T[];

/** Condition block: operator -> context key -> value(s). */
export type ConditionBlock = Record<string, Record<string, OneOrMany<string | number | boolean>>>;

export type PrincipalBlock =
  | "*"
  | {
      AWS?: OneOrMany<string>;
      Service?: OneOrMany<string>;
      Federated?: OneOrMany<string>;
      CanonicalUser?: OneOrMany<string>;
    };

export interface Statement {
  Sid?: string;
  Effect: "Allow" | "Deny";
  Action?: OneOrMany<string>;
  NotAction?: OneOrMany<string>;
  Resource?: OneOrMany<string>;
  NotResource?: OneOrMany<string>;
  Principal?: PrincipalBlock;
  NotPrincipal?: PrincipalBlock;
  Condition?: ConditionBlock;
}

export interface PolicyDocument {
  Version: "2012-10-17";
  Id?: string;
  Statement: Statement[];
}

export function policyDocument(statements: Statement[], id?: string): PolicyDocument {
  return id ? { Version: "2012-10-17", Id: id, Statement: statements } : { Version: "2012-10-17", Statement: statements };
}

/** What AWS receives: the provider takes IAM documents as JSON strings. */
export function toJson(doc: PolicyDocument): string {
  return JSON.stringify(doc);
}

export function asArray<T>(v: OneOrMany<T> | undefined): T[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}
