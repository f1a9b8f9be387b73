// S3 and KMS allow one resource policy each; components contribute statements to it and the
// owner registers the merged document once, so no contribution silently overwrites another.
import * as pulumi from "@pulumi/pulumi";
import { policyDocument, toJson, type Statement } from "../iam/types";

export class StatementCollector {
  private readonly parts: { owner: string; statements: pulumi.Input<Statement[]> }[] = [];
  private sealed = false;

  constructor(private readonly what: string) {}

  add(owner: string, statements: pulumi.Input<Statement[]>): void {
    if (this.sealed) throw new Error(`${this.what}: ${owner} added statements after the policy was registered; add them before finalize()`);
    this.parts.push({ owner, statements });
  }

  /**
   * The merged document as JSON. A Sid names one statement: contributors may repeat the same
   * statement (many grants sharing one, kept once), but two different statements under one Sid fail.
   */
  seal(base: pulumi.Input<Statement[]>, maxChars: number): pulumi.Output<string> {
    this.sealed = true;
    const owners = ["base", ...this.parts.map((p) => p.owner)];
    return pulumi.all([base, ...this.parts.map((p) => p.statements)]).apply((lists) => {
      const seen = new Map<string, { owner: string; json: string }>();
      const merged: Statement[] = [];
      lists.forEach((list, i) =>
        list.forEach((s) => {
          if (!s.Sid) return void merged.push(s);
          const prior = seen.get(s.Sid);
          const json = JSON.stringify(s);
          if (prior && prior.json === json) return;
          if (prior) throw new Error(`${this.what}: statement id ${s.Sid} is used by both ${prior.owner} and ${owners[i]}`);
          seen.set(s.Sid, { owner: owners[i], json });
          merged.push(s);
        }),
      );
      const json = toJson(policyDocument(merged));
      const size = json.replace(/\s/g, "").length;
      if (size > maxChars) throw new Error(`${this.what}: ${size} characters, over the ${maxChars} AWS accepts`);
      return json;
    });
  }
}
