import { readFileSync } from 'node:fs';
import path from 'node:path';
import { COMMANDS } from '../../../src/adapters/teams/commands';
import { parseIntent } from '../../../src/domain/intent';

describe('the command table', () => {
  it('routes each example to its command, and the intake examples parse', () => {
    for (const [name, c] of Object.entries(COMMANDS)) {
      const text = c.example.toLowerCase();
      const matching = Object.entries(COMMANDS)
        .filter(([, other]) => other.pattern.test(text))
        .map(([n]) => n);
      expect({ name, matching }).toEqual({ name, matching: [name] });
    }
    expect(parseIntent(COMMANDS.exportData.example)).toMatchObject({ kind: 'export' });
    expect(parseIntent(COMMANDS.approvalsChannel.example)).toEqual({ kind: 'setApprovalsChannel' });
  });

  it('is what the app manifest offers', () => {
    const manifest = JSON.parse(
      readFileSync(path.resolve(__dirname, '../../../appPackage/manifest.json'), 'utf8'),
    ) as {
      bots: { commandLists: { commands: { title: string }[] }[] }[];
    };
    const offered = new Set(manifest.bots[0]!.commandLists.flatMap((l) => l.commands.map((c) => c.title)));
    expect([...offered].sort()).toEqual(
      Object.values(COMMANDS)
        .map((c) => c.title)
        .sort(),
    );
  });
});
