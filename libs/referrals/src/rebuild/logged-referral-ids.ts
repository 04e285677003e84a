import { randomUUID } from 'node:crypto';

/** One referral.requested of the sector in the log: the id routing made, for whom and of which type. */
export interface LoggedRequest {
  referralId: string;
  personId: string;
  referralType: string;
}

const keyOf = (personId: string, referralType: string) => `${personId}\u0000${referralType}`;

/**
 * Referral ids are random uuids made at routing time, so replaying routing cannot make them again:
 * it takes them from the log instead. Each referral the replayed decider makes for a person and a
 * type gets the id of the next referral.requested of that person and type the log holds (routing's
 * and onward routing's, in position order; a supervisor's override names its own id and is left
 * out). A referral the log never requested gets a fresh id, so it shows as a row only the rebuild
 * has; an id the log requested but the replay did not make is claimed when its event is replayed.
 */
export class LoggedReferralIds {
  private readonly queues = new Map<string, string[]>();
  private readonly queued = new Set<string>();
  private readonly taken = new Set<string>();

  /** `excluded`: the ids supervisors' overrides made; awaited too, but never handed to the decider. */
  constructor(
    requests: Iterable<LoggedRequest>,
    private readonly excluded: ReadonlySet<string> = new Set(),
  ) {
    for (const r of requests) {
      if (excluded.has(r.referralId)) continue;
      this.queued.add(r.referralId);
      const key = keyOf(r.personId, r.referralType);
      const queue = this.queues.get(key);
      if (queue) queue.push(r.referralId);
      else this.queues.set(key, [r.referralId]);
    }
  }

  /** The id of the next referral of this person and type, in log order, not taken yet. */
  take(personId: string, referralType: string): string {
    const queue = this.queues.get(keyOf(personId, referralType));
    while (queue && queue.length > 0) {
      const id = queue.shift()!;
      if (this.taken.has(id)) continue;
      this.taken.add(id);
      return id;
    }
    return randomUUID();
  }

  /** Whether the replay is still to make this referral (routing or an override), its id not taken yet. */
  awaited(referralId: string): boolean {
    return (this.queued.has(referralId) || this.excluded.has(referralId)) && !this.taken.has(referralId);
  }

  /** Marks an id as used by a referral replayed from its own referral.requested. */
  claim(referralId: string): void {
    this.taken.add(referralId);
  }
}
