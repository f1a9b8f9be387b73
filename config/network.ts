// The `network` perimeter of reads (issue 16 item 3): on a consumer (its role refuses reads from
// anywhere else) and at the top level (one bucket-policy statement for every principal). Pure (zod and
// the range rules of iam/network.ts). docs/access.md "Network perimeter".
import { z } from "zod";
import { parseCidr, type NetworkPerimeter } from "../iam/network";

const vpcEndpointId = z
  .string({ error: "expected a VPC endpoint id such as vpce-0a1b2c3d4e5f60718" })
  .regex(/^vpce-([0-9a-f]{8}|[0-9a-f]{17})$/, "expected a VPC endpoint id: vpce- then 8 or 17 hex digits, e.g. vpce-0a1b2c3d4e5f60718");

const vpcId = z
  .string({ error: "expected a VPC id such as vpc-0a1b2c3d4e5f60718" })
  .regex(/^vpc-([0-9a-f]{8}|[0-9a-f]{17})$/, "expected a VPC id: vpc- then 8 or 17 hex digits, e.g. vpc-0a1b2c3d4e5f60718");

const sourceRange = z.string({ error: "expected a CIDR range such as 203.0.113.0/24" }).superRefine((s, ctx) => {
  const c = parseCidr(s);
  if (typeof c === "string") ctx.addIssue({ code: "custom", message: c });
});

export const networkSchema = z
  .strictObject(
    {
      /** VPC endpoint ids (aws:SourceVpce): reads through these endpoints. Default []. */
      vpcEndpoints: z.array(vpcEndpointId, { error: "expected a list of VPC endpoint ids" }).optional(),
      /** VPC ids (aws:SourceVpc): reads through any endpoint in these VPCs. Default []. */
      vpcs: z.array(vpcId, { error: "expected a list of VPC ids" }).optional(),
      /** Public CIDR ranges (aws:SourceIp): reads over the internet from these addresses. Default []. */
      sourceIps: z.array(sourceRange, { error: "expected a list of CIDR ranges" }).optional(),
    },
    { error: "expected an object { vpcEndpoints?, vpcs?, sourceIps? }" },
  )
  .refine(
    (n) => (n.vpcEndpoints?.length ?? 0) + (n.vpcs?.length ?? 0) + (n.sourceIps?.length ?? 0) > 0,
    "expected at least one of vpcEndpoints, vpcs, sourceIps (leave network out for no perimeter)",
  );

export type RawNetwork = z.infer<typeof networkSchema>;

/** Every default explicit (sorted, without duplicates: the documents and the plan read the same). */
export function resolveNetwork(raw: RawNetwork | undefined): NetworkPerimeter | null {
  if (!raw) return null;
  const list = (xs: string[] | undefined) => [...new Set(xs ?? [])].sort();
  return { vpcEndpoints: list(raw.vpcEndpoints), vpcs: list(raw.vpcs), sourceIps: list(raw.sourceIps) };
}
