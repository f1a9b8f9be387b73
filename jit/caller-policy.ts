// The identity policy a person needs to call the broker (jit/README.md "Caller policy"). Pure; the
// README prints it and tests/jit-identity-caller-policy.spec.ts evaluates it.
import type { PolicyDocument, Statement } from "../iam/types";

/**
 * Lets a caller reach the broker through its function URL only. Since October 2025 a URL call
 * needs lambda:InvokeFunction as well as lambda:InvokeFunctionUrl, and whoever may call
 * InvokeFunction directly writes the whole event, identity included: so InvokeFunction is allowed
 * only with lambda:InvokedViaFunctionUrl = true.
 * https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html
 *
 * `iamUserMfa`: for IAM users, both calls also need aws:MultiFactorAuthPresent = true, which is
 * present only on temporary credentials obtained with MFA (absent for long-term access keys, so
 * the Bool test fails closed). Identity Center sessions carry no per-request MFA signal to rely on:
 * Identity Center enforces MFA at sign-in.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-multifactorauthpresent
 * https://docs.aws.amazon.com/singlesignon/latest/userguide/enable-mfa.html
 */
export function brokerCallerPolicy(apiFunctionArn: string, opts: { iamUserMfa?: boolean } = {}): PolicyDocument {
  const mfa: Record<string, string> = opts.iamUserMfa ? { "aws:MultiFactorAuthPresent": "true" } : {};
  const statements: Statement[] = [
    {
      Sid: "CallBrokerUrl",
      Effect: "Allow",
      Action: "lambda:InvokeFunctionUrl",
      Resource: apiFunctionArn,
      Condition: opts.iamUserMfa ? { StringEquals: { "lambda:FunctionUrlAuthType": "AWS_IAM" }, Bool: mfa } : { StringEquals: { "lambda:FunctionUrlAuthType": "AWS_IAM" } },
    },
    {
      Sid: "InvokeBrokerOnlyThroughItsUrl",
      Effect: "Allow",
      Action: "lambda:InvokeFunction",
      Resource: apiFunctionArn,
      Condition: { Bool: { "lambda:InvokedViaFunctionUrl": "true", ...mfa } },
    },
  ];
  return { Version: "2012-10-17", Statement: statements };
}
