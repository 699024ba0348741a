import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { DEMO_TENANT_ID, type SandboxUser } from '../sandbox/demo-tenant';
import { BOT_NODE_FLAGS } from '../src/process-helpers';
import type { SoakCommand, SoakMessage } from './soak-protocol';

type Ask = SoakCommand extends infer C ? (C extends unknown ? Omit<C, 'id'> : never) : never;

/** An activity as Teams posts it: a message, or an Action.Execute click on a card ({@link click}). */
function activity(serviceUrl: string, from: SandboxUser, conversationId: string, fields: object): string {
  const personal = conversationId.startsWith('a:');
  const conversationType = personal ? 'personal' : 'channel';
  return JSON.stringify({
    id: randomUUID(),
    channelId: 'msteams',
    serviceUrl,
    from: { id: `29:${from.teamsId ?? from.id}`, name: from.displayName, aadObjectId: from.id },
    recipient: { id: '28:bot', name: 'DSR Export Bot' },
    conversation: { id: conversationId, conversationType, tenantId: DEMO_TENANT_ID, isGroup: !personal },
    channelData: { tenant: { id: DEMO_TENANT_ID } },
    ...fields,
  });
}

/** The fields of an Action.Execute click on a card's `verb` with `data`. */
export const click = (verb: string, data: object) => ({
  type: 'invoke',
  name: 'adaptiveCard/action',
  value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
});

/** The soak bot started by the soak: its URL once listening, its commands, and its end. */
export interface SoakBot {
  readonly url: string;
  /** Posts an activity as Teams does and returns the answer's body; anything but 200 fails the soak. */
  say(serviceUrl: string, from: SandboxUser, conversationId: string, fields: object): Promise<string>;
  /** Sends a command; rejects when the bot fails it, exits, or does not answer within `ms`. */
  ask(command: Ask, ms?: number): Promise<Extract<SoakMessage, { type: 'done' }>>;
  running(): boolean;
  output(): string; // the process's last output, for failure messages
  /** Closes the bot (or kills it when it does not close) and waits for the process to end. */
  stop(): Promise<void>;
}

/** Forks the soak bot (bench/soak-bot.ts, compiled) with `--expose-gc` on `env`, and waits until it listens. */
export async function startSoakBot(env: NodeJS.ProcessEnv): Promise<SoakBot> {
  const child: ChildProcess = fork(path.join(__dirname, 'soak-bot.js'), [], {
    execArgv: [...BOT_NODE_FLAGS, '--expose-gc'],
    env,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let output = '';
  const keep = (c: Buffer) => (output = (output + c.toString()).slice(-4000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let next = 1;
  const waiting = new Map<number, { what: string; resolve(m: SoakMessage): void; reject(e: Error): void }>();
  let ready: ((url: string) => void) | undefined;
  child.on('message', (m: SoakMessage) => {
    if (m.type === 'ready') return ready?.(m.url);
    const w = waiting.get(m.id);
    waiting.delete(m.id);
    if (m.type === 'failed') w?.reject(new Error(`The soak bot failed (${w.what}): ${m.error}`));
    else w?.resolve(m);
  });
  let exited: (() => void) | undefined;
  const exit = new Promise<void>((resolve) => (exited = resolve));
  child.on('exit', (code) => {
    for (const w of waiting.values()) w.reject(new Error(`The soak bot exited (${code}):\n${output}`));
    waiting.clear();
    exited?.();
  });
  const running = () => child.exitCode === null && child.signalCode === null;
  const within = <T>(p: Promise<T>, ms: number, what: string) => {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      const message = `The soak bot did not ${what} within ${ms} ms:\n${output}`;
      timer = setTimeout(() => reject(new Error(message)), ms);
    });
    return Promise.race([p, late]).finally(() => clearTimeout(timer));
  };
  const ask = (command: Ask, ms = 120_000) =>
    within(
      new Promise<SoakMessage>((resolve, reject) => {
        const id = next++;
        waiting.set(id, { what: command.type, resolve, reject });
        child.send({ ...command, id });
      }),
      ms,
      command.type,
    ) as Promise<Extract<SoakMessage, { type: 'done' }>>;
  const stop = async () => {
    if (running() && child.connected) await ask({ type: 'close' }, 15_000).catch(() => child.kill('SIGKILL'));
    if (running()) await exit;
  };
  const say = async (serviceUrl: string, from: SandboxUser, conversationId: string, fields: object) => {
    const body = activity(serviceUrl, from, conversationId, fields);
    const headers = { 'Content-Type': 'application/json' };
    const res = await fetch(`${url}/api/messages`, { method: 'POST', headers, body });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`The bot answered ${res.status}: ${text.slice(0, 300)}`);
    return text;
  };
  let url = '';
  try {
    url = await within(new Promise<string>((r) => (ready = r)), 30_000, 'start');
    return { url, say, ask, running, output: () => output, stop };
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
}
