import type { Activity } from 'botbuilder';
import { person, personalMessage } from '../../support/activities';
import { startBotHarness, type BotHarness } from '../../support/bot-harness';
import { cardText } from '../../support/cards';

/** The help card is built once and sent on every help turn; messages go to the command router only. */
describe('help on many turns', () => {
  let h: BotHarness;
  beforeAll(async () => {
    h = await startBotHarness();
  });
  afterAll(() => h.close());

  async function ask(text: string): Promise<Partial<Activity>> {
    const activity = personalMessage(text, {
      serviceUrl: h.connector.serviceUrl,
      from: person('Alex Wilber'),
    });
    expect((await h.post(activity)).status).toBe(200);
    const sent = await h.connector.waitForSent(activity.conversation!.id);
    expect(sent).toHaveLength(1);
    return sent[0]!;
  }

  it('answers help in each conversation with the same card, addressed to that conversation', async () => {
    const first = await ask('help');
    const second = await ask('help');
    expect(first.attachments).toEqual(second.attachments);
    expect(first.conversation?.id).not.toBe(second.conversation?.id);
    expect(cardText(second.attachments?.[0]?.content)).toMatch(/whoami/);
  });

  it('answers a message the commands do not know with one short line, and nothing else', async () => {
    const reply = await ask('what is the weather');
    expect(reply.text).toMatch(/did not understand/);
    expect(reply.attachments ?? []).toEqual([]);
  });
});
