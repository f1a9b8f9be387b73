// What the broker needs from the outside world, as interfaces: AWS adapters implement them in
// Lambda (aws-adapters.ts), the sandbox implements them in memory (sandbox-adapters.ts).
import type { PolicyDocument } from "../iam/types";
import type { AssumeRoleParams } from "./sts-params";
import type { SessionTarget } from "./session-policy";
import type { JitRequest } from "./types";

export interface BrokerTarget extends SessionTarget {
  elevatedRoleArn: string;
}

export interface IssuedCredentials {
  AccessKeyId: string;
  SecretAccessKey: string;
  SessionToken: string;
  Expiration: string;
}

export interface CredentialIssuer {
  /** Calls sts:AssumeRole; null in the sandbox, where there is no STS to call. */
  issue(params: AssumeRoleParams): Promise<IssuedCredentials | null>;
}

export interface Notice {
  audience: "approvers" | "everyone";
  subject: string;
  message: string;
  requestId: string;
  breakGlass: boolean;
}

export interface Notifier {
  notify(n: Notice): Promise<void>;
}

export interface WindowScheduler {
  /** Arranges for the request to be ended at its window's end. */
  scheduleEnd(req: JitRequest): Promise<void>;
}

export interface RevocationSink {
  /** Replaces the elevated role's revocation policy (null: remove it). */
  apply(doc: PolicyDocument | null): Promise<void>;
}
