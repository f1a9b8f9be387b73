// Computed outputs a real deploy would return, synthesized so that ARNs, ids and domain names in
// the plan look like AWS's: they carry the stack's account id, region and the region's partition, and
// are stable run to run.
import { createHash } from "node:crypto";
import { dnsSuffix, partitionOf, type Partition } from "../iam/arn";

export interface CloudContext {
  accountId: string;
  region: string;
}

type Inputs = Record<string, unknown>;
/** The context a synthesizer sees: the stack's, plus the partition its region is in. */
type SynthContext = CloudContext & { partition: Partition };
type Synth = (name: string, inputs: Inputs, ctx: SynthContext) => Inputs;

const hex = (seed: string, n: number) => createHash("sha256").update(seed).digest("hex").slice(0, n);
const alnum = (seed: string, n: number) =>
  createHash("sha256").update(seed).digest("base64").replace(/[^A-Za-z0-9]/g, "").toUpperCase().slice(0, n);
const uuid = (seed: string) => {
  const h = hex(seed, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
};
/** Pulumi's auto-naming: the logical name plus a random suffix (here derived from the name). */
const autoName = (name: string, inputs: Inputs, key = "name") => (typeof inputs[key] === "string" ? (inputs[key] as string) : `${name}-${hex(name, 7)}`);

const synth: Record<string, Synth> = {
  "aws:s3/bucket:Bucket": (name, i, { region, partition }) => {
    const b = autoName(name, i, "bucket");
    return {
      id: b,
      bucket: b,
      arn: `arn:${partition}:s3:::${b}`,
      region,
      bucketDomainName: `${b}.s3.${dnsSuffix(partition)}`,
      bucketRegionalDomainName: `${b}.s3.${region}.${dnsSuffix(partition)}`,
      hostedZoneId: "Z3AQBSTGFYJSTF",
    };
  },
  "aws:kms/key:Key": (name, _i, { accountId, region, partition }) => {
    const keyId = uuid(name);
    return { id: keyId, keyId, arn: `arn:${partition}:kms:${region}:${accountId}:key/${keyId}` };
  },
  "aws:kms/alias:Alias": (name, i, { accountId, region, partition }) => {
    const n = autoName(name, i);
    return { id: n, arn: `arn:${partition}:kms:${region}:${accountId}:${n}` };
  },
  "aws:iam/role:Role": (name, i, { accountId, partition }) => {
    const n = autoName(name, i);
    const p = typeof i.path === "string" ? i.path : "/";
    return { id: n, name: n, arn: `arn:${partition}:iam::${accountId}:role${p}${n}`, uniqueId: `AROA${alnum(name, 17)}` };
  },
  "aws:iam/policy:Policy": (name, i, { accountId, partition }) => {
    const n = autoName(name, i);
    const p = typeof i.path === "string" ? i.path : "/";
    return { id: `arn:${partition}:iam::${accountId}:policy${p}${n}`, name: n, arn: `arn:${partition}:iam::${accountId}:policy${p}${n}`, policyId: `ANPA${alnum(name, 17)}` };
  },
  "aws:iam/rolePolicy:RolePolicy": (name, i) => {
    const n = autoName(name, i);
    return { id: `${String(i.role)}:${n}`, name: n };
  },
  "aws:iam/instanceProfile:InstanceProfile": (name, i, { accountId, partition }) => {
    const n = autoName(name, i);
    return { id: n, name: n, arn: `arn:${partition}:iam::${accountId}:instance-profile/${n}`, uniqueId: `AIPA${alnum(name, 17)}` };
  },
  "aws:iam/openIdConnectProvider:OpenIdConnectProvider": (_name, i, { accountId, partition }) => {
    const host = String(i.url ?? "").replace(/^https:\/\//, "");
    return { id: `arn:${partition}:iam::${accountId}:oidc-provider/${host}`, arn: `arn:${partition}:iam::${accountId}:oidc-provider/${host}` };
  },
  "aws:cloudtrail/trail:Trail": (name, i, { accountId, region, partition }) => {
    const n = autoName(name, i);
    return { id: n, name: n, arn: `arn:${partition}:cloudtrail:${region}:${accountId}:trail/${n}`, homeRegion: region };
  },
  "aws:cloudfront/distribution:Distribution": (name, _i, { accountId, partition }) => {
    const id = `E${alnum(name, 13)}`;
    return {
      id,
      arn: `arn:${partition}:cloudfront::${accountId}:distribution/${id}`,
      domainName: `d${hex(name, 13)}.cloudfront.net`,
      hostedZoneId: "Z2FDTNDATAQYW2",
      status: "Deployed",
      etag: `E${alnum(`${name}etag`, 13)}`,
    };
  },
  "aws:cloudfront/originAccessControl:OriginAccessControl": (name) => ({ id: `E${alnum(name, 13)}`, etag: `E${alnum(`${name}e`, 13)}` }),
  "aws:cloudfront/publicKey:PublicKey": (name) => ({ id: `K${alnum(name, 13)}`, etag: `E${alnum(`${name}e`, 13)}` }),
  "aws:cloudfront/keyGroup:KeyGroup": (name) => ({ id: uuid(name), etag: `E${alnum(`${name}e`, 13)}` }),
  "aws:cloudfront/cachePolicy:CachePolicy": (name) => ({ id: uuid(name), etag: `E${alnum(`${name}e`, 13)}` }),
  "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy": (name) => ({ id: uuid(name), etag: `E${alnum(`${name}e`, 13)}` }),
  // CloudFront logging v2 (CloudWatch vended logs): names are auto-named, ARNs use the resource's region.
  "aws:cloudwatch/logDeliverySource:LogDeliverySource": (name, i, { accountId, region, partition }) => {
    const n = autoName(name, i);
    return { id: n, name: n, arn: `arn:${partition}:logs:${String(i.region ?? region)}:${accountId}:delivery-source:${n}`, service: "cloudfront" };
  },
  "aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination": (name, i, { accountId, region, partition }) => {
    const n = autoName(name, i);
    return { id: n, name: n, arn: `arn:${partition}:logs:${String(i.region ?? region)}:${accountId}:delivery-destination:${n}`, deliveryDestinationType: "S3" };
  },
  "aws:cloudwatch/logDelivery:LogDelivery": (name, i, { accountId, region, partition }) => {
    const id = alnum(name, 16);
    return { id, arn: `arn:${partition}:logs:${String(i.region ?? region)}:${accountId}:delivery:${id}` };
  },
  "aws:sns/topic:Topic": (name, i, { accountId, region, partition }) => {
    const n = autoName(name, i);
    const arn = `arn:${partition}:sns:${region}:${accountId}:${n}`;
    return { id: arn, name: n, arn };
  },
  "aws:dynamodb/table:Table": (name, i, { accountId, region, partition }) => {
    const n = autoName(name, i);
    const arn = `arn:${partition}:dynamodb:${region}:${accountId}:table/${n}`;
    return { id: n, name: n, arn, streamArn: `${arn}/stream/2026-01-01T00:00:00.000` };
  },
  "aws:lambda/function:Function": (name, i, { accountId, region, partition }) => {
    const n = autoName(name, i);
    const arn = `arn:${partition}:lambda:${region}:${accountId}:function:${n}`;
    return { id: n, name: n, arn, qualifiedArn: `${arn}:$LATEST`, invokeArn: `arn:${partition}:apigateway:${region}:lambda:path/2015-03-31/functions/${arn}/invocations`, version: "$LATEST" };
  },
  "aws:lambda/functionUrl:FunctionUrl": (name, _i, { region }) => {
    const id = hex(name, 32);
    return { id, urlId: id, functionUrl: `https://${id}.lambda-url.${region}.on.aws/` };
  },
  "aws:logs/logGroup:LogGroup": (name, i, { accountId, region, partition }) => {
    const n = autoName(name, i);
    return { id: n, name: n, arn: `arn:${partition}:logs:${region}:${accountId}:log-group:${n}` };
  },
  // @pulumi/aws v7's token for aws.cloudwatch.LogGroup (the AuditTrail's CloudWatch Logs delivery).
  "aws:cloudwatch/logGroup:LogGroup": (name, i, { accountId, region, partition }) => {
    const n = autoName(name, i);
    return { id: n, name: n, arn: `arn:${partition}:logs:${region}:${accountId}:log-group:${n}` };
  },
  "aws:scheduler/scheduleGroup:ScheduleGroup": (name, i, { accountId, region, partition }) => {
    const n = autoName(name, i);
    return { id: n, name: n, arn: `arn:${partition}:scheduler:${region}:${accountId}:schedule-group/${n}` };
  },
  "aws:organizations/policy:Policy": (name, i, { accountId, partition }) => {
    const id = `p-${hex(name, 8)}`;
    return { id, name: autoName(name, i), arn: `arn:${partition}:organizations::${accountId}:policy/o-${hex("org", 10)}/service_control_policy/${id}` };
  },
};

/** Fallback for types without a computed identity worth faking (bucket settings, attachments): the name as id. */
function generic(name: string, inputs: Inputs): Inputs {
  return { id: autoName(name, inputs) };
}

/** The state a fake deploy returns: inputs, then what AWS would have computed. */
export function fakeResource(type: string, name: string, inputs: Inputs, ctx: CloudContext): { id: string; state: Inputs } {
  const computed = (synth[type] ?? generic)(name, inputs, { ...ctx, partition: partitionOf(ctx.region) });
  return { id: String(computed.id), state: { ...inputs, ...computed, tagsAll: inputs.tags } };
}

/** Data-source calls the program may make. */
export function fakeCall(token: string, args: Inputs, ctx: CloudContext): Inputs {
  const partition = partitionOf(ctx.region);
  switch (token) {
    case "aws:index/getCallerIdentity:getCallerIdentity":
      return { accountId: ctx.accountId, arn: `arn:${partition}:iam::${ctx.accountId}:user/plan`, userId: "AIDAPLAN", id: ctx.accountId };
    case "aws:index/getRegion:getRegion":
      return { name: ctx.region, region: ctx.region, id: ctx.region, endpoint: `ec2.${ctx.region}.${dnsSuffix(partition)}` };
    case "aws:index/getPartition:getPartition":
      return { partition, dnsSuffix: dnsSuffix(partition), id: partition, reverseDnsPrefix: dnsSuffix(partition).split(".").reverse().join(".") };
    default:
      return args;
  }
}
