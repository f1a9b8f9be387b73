// The CLI's HTTP client. Remote: every call is SigV4-signed (service "lambda", the function URL's
// IAM auth) with the caller's own AWS credentials, so the broker learns who they are from AWS.
// Sandbox: the caller is named in a header the sandbox server alone honours.
import { SignatureV4 } from "@smithy/signature-v4";
import { HttpRequest } from "@smithy/protocol-http";
import { Sha256 } from "@aws-crypto/sha256-js";
import { fromNodeProviderChain } from "@aws-sdk/credential-providers";
import { SANDBOX_ARN_HEADER, SANDBOX_CALLER_HEADER, SANDBOX_PRINCIPAL_ID_HEADER } from "./local-server";

export class ClientError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

export interface ClientOptions {
  endpoint: string;
  /** Sandbox only: the caller's name. */
  as?: string;
  /** Sandbox only: the caller's principal ARN, and optionally its principal id. */
  asArn?: string;
  principalId?: string;
  region?: string;
}

/** Function URLs look like https://<id>.lambda-url.<region>.on.aws/ */
export function regionOfEndpoint(endpoint: string): string | undefined {
  return /\.lambda-url\.([a-z0-9-]+)\.on\.aws$/.exec(new URL(endpoint).hostname)?.[1];
}

export function isLoopback(endpoint: string): boolean {
  const h = new URL(endpoint).hostname;
  return h === "127.0.0.1" || h === "localhost" || h === "[::1]";
}

export class BrokerClient {
  private signer?: SignatureV4;
  constructor(private readonly opts: ClientOptions) {
    const sandbox = opts.as !== undefined || opts.asArn !== undefined;
    if (sandbox && !isLoopback(opts.endpoint))
      throw new ClientError(`--as and --as-arn only work against the local sandbox (127.0.0.1), not ${opts.endpoint}`);
    if (!sandbox) {
      const region = opts.region ?? regionOfEndpoint(opts.endpoint) ?? process.env.AWS_REGION;
      if (!region) throw new ClientError("cannot tell the broker's region: pass --region");
      this.signer = new SignatureV4({ service: "lambda", region, credentials: fromNodeProviderChain(), sha256: Sha256 });
    }
  }

  async call<T>(method: "GET" | "POST", path: string, body?: unknown, query: Record<string, string> = {}): Promise<T> {
    const url = new URL(path, this.opts.endpoint);
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    let headers: Record<string, string> = { "content-type": "application/json", host: url.host };
    if (this.opts.as !== undefined) headers[SANDBOX_CALLER_HEADER] = this.opts.as;
    if (this.opts.asArn !== undefined) headers[SANDBOX_ARN_HEADER] = this.opts.asArn;
    if (this.opts.principalId !== undefined) headers[SANDBOX_PRINCIPAL_ID_HEADER] = this.opts.principalId;
    if (this.signer) {
      const signed = await this.signer.sign(
        new HttpRequest({
          method,
          protocol: url.protocol,
          hostname: url.hostname,
          port: url.port ? Number(url.port) : undefined,
          path: url.pathname,
          query: Object.fromEntries(url.searchParams),
          headers,
          body: payload,
        }),
      );
      headers = signed.headers;
    }
    delete headers.host; // fetch sets it
    let res: Response;
    try {
      res = await fetch(url, { method, headers, body: payload });
    } catch (e) {
      throw new ClientError(`cannot reach the broker at ${this.opts.endpoint}: ${(e as Error).cause ? String((e as { cause: unknown }).cause) : (e as Error).message}`);
    }
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    if (!res.ok) {
      const msg = (json as { message?: string; Message?: string } | undefined)?.message ?? (json as { Message?: string } | undefined)?.Message ?? (text.slice(0, 200) || res.statusText);
      throw new ClientError(msg, res.status);
    }
    return json as T;
  }
}
