// In-memory stand-ins for STS, SNS, EventBridge Scheduler and IAM, used by the local sandbox and
// the tests. They record what the real adapters would have sent, so it can be shown and asserted.
import type { PolicyDocument } from "../iam/types";
import type { CredentialIssuer, IssuedCredentials, Notice, Notifier, RevocationSink, WindowScheduler } from "./ports";
import type { AssumeRoleParams } from "./sts-params";
import type { JitRequest } from "./types";

export class SandboxIssuer implements CredentialIssuer {
  readonly sent: AssumeRoleParams[] = [];
  async issue(params: AssumeRoleParams): Promise<IssuedCredentials | null> {
    this.sent.push(params);
    return null;
  }
}

export class MemoryNotifier implements Notifier {
  readonly notices: Notice[] = [];
  constructor(private readonly echo?: (line: string) => void) {}
  async notify(n: Notice): Promise<void> {
    this.notices.push(n);
    this.echo?.(`[notify ${n.audience}] ${n.subject}`);
  }
}

/** Ends windows with timers in this process (unref'd, so they never keep it alive). */
export class TimerScheduler implements WindowScheduler {
  readonly scheduled = new Map<string, string>();
  private readonly timers = new Set<NodeJS.Timeout>();
  constructor(private readonly onDue?: (id: string) => void) {}
  async scheduleEnd(req: JitRequest): Promise<void> {
    if (!req.windowEnd) return;
    this.scheduled.set(req.id, req.windowEnd);
    if (!this.onDue) return;
    const delay = Math.max(0, Date.parse(req.windowEnd) - Date.now());
    const t = setTimeout(() => {
      this.timers.delete(t);
      this.onDue?.(req.id);
    }, Math.min(delay, 2 ** 31 - 1));
    t.unref();
    this.timers.add(t);
  }
  stop(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}

export class MemoryRevocationSink implements RevocationSink {
  current: PolicyDocument | null = null;
  writes = 0;
  async apply(doc: PolicyDocument | null): Promise<void> {
    this.current = doc;
    this.writes++;
  }
}
