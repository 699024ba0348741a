import path from 'node:path';
import { startAzurite, type EmbeddedAzurite } from '../sandbox/embedded-azurite';
import { startBotStack, type BotStack } from './stack';

const FAST_PATH = path.join(__dirname, '..', '..', 'bench', 'azurite-loki-fast-path.cjs');

/** What a step may use: emulators and the bot stack, started on first use and stopped at the end. */
export class Resources {
  private readonly stops: (() => Promise<void>)[] = [];
  private azuriteStarted: Promise<EmbeddedAzurite> | undefined;
  private stackStarted: Promise<BotStack> | undefined;

  /** An emulator for this step alone (stopped at the end of the run, or at once with `stop`). */
  async azurite(fastPath = true): Promise<EmbeddedAzurite> {
    const a = await startAzurite(fastPath ? { preload: FAST_PATH } : {});
    this.stops.push(() => a.stop());
    return a;
  }

  /** The emulator the bot stack and the approve step share. */
  shared(): Promise<EmbeddedAzurite> {
    this.azuriteStarted ??= this.azurite(false);
    return this.azuriteStarted;
  }

  stack(): Promise<BotStack> {
    this.stackStarted ??= this.shared().then(async (a) => {
      const s = await startBotStack(a.connectionString);
      this.stops.push(() => s.close());
      return s;
    });
    return this.stackStarted;
  }

  /** Stops `stop` with the rest at the end of the run. */
  onStop(stop: () => Promise<void>): void {
    this.stops.push(stop);
  }

  /** Stops everything, newest first; a failure to stop one does not keep the others running. */
  async stopAll(): Promise<void> {
    for (const stop of this.stops.reverse())
      await stop().catch((err: unknown) =>
        process.stderr.write(
          `bench: could not stop a part: ${err instanceof Error ? err.message : String(err)}\n`,
        ),
      );
  }
}
