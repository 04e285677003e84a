import type { TopicName } from './topics';

type PayloadClass = new () => object;

/** One (type, version) of an event: its payload class and the topic it travels on. */
export interface EventContract {
  readonly type: string;
  readonly version: number;
  readonly topic: TopicName;
  readonly payload: PayloadClass;
  /** The data field that must equal the envelope's `subject`; `personId` when left out. */
  readonly subjectField?: string;
  /** The data field that says when it happened (registeredAt, ...); a submission may leave it out. */
  readonly timeField?: string;
  /** The envelope carries the gateway's CloudEvents Sequence attribute `sequence` (published intake events). */
  readonly sequenced?: boolean;
}

/** Reads data of version `fromVersion` of `type` as data of version `fromVersion + 1`; pure. */
export interface Upcaster<TFrom = unknown, TTo = unknown> {
  readonly type: string;
  readonly fromVersion: number;
  upcast(data: TFrom): TTo;
}

/**
 * Every known (type, version) contract and the upcasters between them. As a map it answers the
 * latest contract of each type, so it goes wherever `contractsByType` went before versions.
 */
export class ContractRegistry implements ReadonlyMap<string, EventContract> {
  private readonly latest = new Map<string, EventContract>();
  private readonly versions = new Map<string, Map<number, EventContract>>();
  private readonly upcasters = new Map<string, Upcaster>();

  constructor(contracts: readonly EventContract[], upcasters: readonly Upcaster[] = []) {
    for (const contract of contracts) {
      const versions = this.versions.get(contract.type) ?? new Map<number, EventContract>();
      if (versions.has(contract.version)) throw new Error(`contract ${contract.type} v${contract.version} twice`);
      versions.set(contract.version, contract);
      this.versions.set(contract.type, versions);
      if ((this.latest.get(contract.type)?.version ?? 0) < contract.version) this.latest.set(contract.type, contract);
    }
    for (const upcaster of upcasters) {
      const key = `${upcaster.type}@${upcaster.fromVersion}`;
      if (this.upcasters.has(key)) throw new Error(`upcaster ${upcaster.type} v${upcaster.fromVersion} twice`);
      this.upcasters.set(key, upcaster);
    }
    for (const [type, versions] of this.versions) {
      const latest = this.latest.get(type)!.version;
      for (let version = Math.min(...versions.keys()); version < latest; version++) {
        if (!versions.has(version)) throw new Error(`contract ${type} v${version} is missing between versions`);
        if (!this.upcasters.has(`${type}@${version}`)) throw new Error(`no upcaster from ${type} v${version}`);
      }
    }
  }

  /** The contract of version `version` of `type`, if this registry knows it. */
  contract(type: string, version: number): EventContract | undefined {
    return this.versions.get(type)?.get(version);
  }

  /** The versions of `type` this registry can read, oldest first. */
  /** Every (type, version) contract, old versions included. */
  contracts(): EventContract[] {
    return [...this.versions.values()].flatMap((byVersion) => [...byVersion.values()]);
  }

  versionsOf(type: string): number[] {
    return [...(this.versions.get(type)?.keys() ?? [])].sort((a, b) => a - b);
  }

  /** The upcaster from version `fromVersion` of `type` to the next one. */
  upcaster(type: string, fromVersion: number): Upcaster | undefined {
    return this.upcasters.get(`${type}@${fromVersion}`);
  }

  get size(): number {
    return this.latest.size;
  }
  get(type: string): EventContract | undefined {
    return this.latest.get(type);
  }
  has(type: string): boolean {
    return this.latest.has(type);
  }
  forEach(callback: (value: EventContract, key: string, map: ReadonlyMap<string, EventContract>) => void): void {
    this.latest.forEach((value, key) => callback(value, key, this));
  }
  keys() {
    return this.latest.keys();
  }
  values() {
    return this.latest.values();
  }
  entries() {
    return this.latest.entries();
  }
  [Symbol.iterator]() {
    return this.latest[Symbol.iterator]();
  }
}

/** The registry of the given contracts (the latest of each type as a map) and upcasters. */
export function contractsByType(
  contracts: readonly EventContract[],
  upcasters: readonly Upcaster[] = [],
): ContractRegistry {
  return new ContractRegistry(contracts, upcasters);
}
