import type { Tombstones } from '../../../src/domain/records-ports';
import type { Tombstone } from '../../../src/domain/request-outcome';

/** Tombstones in memory, with the contract of TableTombstones. */
export class FakeTombstones implements Tombstones {
  private readonly stones = new Map<string, Tombstone>();

  async put(tombstone: Tombstone): Promise<void> {
    await Promise.resolve();
    if (!this.stones.has(tombstone.id)) this.stones.set(tombstone.id, tombstone);
  }

  async get(id: string): Promise<Tombstone | undefined> {
    await Promise.resolve();
    return this.stones.get(id);
  }

  async receivedBetween(from: string, to: string): Promise<Tombstone[]> {
    await Promise.resolve();
    return [...this.stones.values()]
      .filter((t) => t.receivedDate >= from && t.receivedDate <= to)
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  all(): Tombstone[] {
    return [...this.stones.values()];
  }
}
