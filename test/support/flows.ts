import { randomUUID } from 'node:crypto';
import type { Activity } from 'botbuilder';
import type { SandboxUser } from '../../sandbox/demo-tenant';
import { isoDate } from '../../src/domain/policies';
import { cardInvoke, channelMention, person, personalMessage } from './activities';
import type { BotHarness } from './bot-harness';
import { cardText } from './cards';

/** The approvals channel of the tests' team. */
export const APPROVALS_CHANNEL = '19:approvals0000000000000000000000@thread.tacv2';

/** An admin says "use this channel for approvals" in the approvals channel. */
export async function useApprovalsChannel(
  h: BotHarness,
  by: SandboxUser = person('Megan Bowen'),
): Promise<string> {
  const activity = channelMention('use this channel for approvals', {
    serviceUrl: h.connector.serviceUrl,
    from: by,
    conversationId: APPROVALS_CHANNEL,
  });
  const before = h.connector.sentTo(APPROVALS_CHANNEL).length;
  await h.post(activity);
  const sent = await h.connector.waitForSent(APPROVALS_CHANNEL, before + 1);
  return sent[before]?.text ?? '';
}

/** Walks the intake in the requester's personal chat and returns the new request's id. */
export async function createRequest(
  h: BotHarness,
  subject: SandboxUser,
  from: SandboxUser = person('Alex Wilber'),
): Promise<string> {
  return (await walkIntake(h, subject, from)).id;
}

/**
 * Walks the intake in a new personal chat of the requester: the request's id, its draft and the chat. The form's
 * reference and justification can be chosen (tests that look for them in answers).
 */
export async function walkIntake(
  h: BotHarness,
  subject: SandboxUser,
  from: SandboxUser = person('Alex Wilber'),
  form: {
    readonly reference: string;
    readonly justification: string;
    readonly identityMethod?: string;
    readonly identityNote?: string;
    readonly regime?: string;
    readonly receivedDate?: string;
  } = {
    reference: 'SR-9',
    justification: 'Subject access request by email.',
  },
): Promise<{ id: string; draftId: string; conversationId: string }> {
  const conversationId = `a:personal-${from.id}-${randomUUID()}`;
  const ask = personalMessage(`export data for ${subject.userPrincipalName}`, {
    serviceUrl: h.connector.serviceUrl,
    from,
    conversationId,
  });
  await h.post(ask);
  const [reply] = await h.connector.waitForSent(conversationId);
  const draftId = /"draftId":"([^"]+)"/.exec(JSON.stringify(reply))?.[1];
  if (!draftId) throw new Error(`No confirmation card: ${cardText(reply?.attachments?.[0]?.content)}`);
  if (cardText(reply?.attachments?.[0]?.content).includes('There is already an open request')) {
    // The subject has an open request from an earlier test: create another on purpose.
    await h.invoke(
      cardInvoke(
        'intake.duplicate',
        { draftId },
        { serviceUrl: h.connector.serviceUrl, from, conversationId },
      ),
    );
  }
  const { card } = await h.invoke(
    cardInvoke(
      'intake.submit',
      {
        draftId,
        regime: 'GDPR',
        receivedDate: isoDate(new Date()),
        identityMethod: 'corporateSignIn',
        ...form,
      },
      { serviceUrl: h.connector.serviceUrl, from, conversationId },
    ),
  );
  const id = /DSR-\d{4}-\d{4}/.exec(cardText(card))?.[0];
  if (!id) throw new Error(`No request id: ${cardText(card)}`);
  return { id, draftId, conversationId };
}

/** The approval card the bot posted in the channel for a request (the last version sent or updated). */
export function postedCard(h: BotHarness, requestId: string): unknown {
  const calls = h.connector.calls.filter(
    (c) =>
      c.conversationId === APPROVALS_CHANNEL &&
      JSON.stringify(c.activity).includes(`Data export request ${requestId}`),
  );
  return calls.at(-1)?.activity.attachments?.[0]?.content;
}

/** A click on the approval card, from the channel thread the card started. */
export function approvalClick(
  h: BotHarness,
  verb: string,
  data: Record<string, unknown>,
  from: SandboxUser,
  conversationId = `${APPROVALS_CHANNEL};messageid=1`,
  extra: Partial<Activity> = {},
): Partial<Activity> {
  return {
    ...cardInvoke(verb, data, {
      serviceUrl: h.connector.serviceUrl,
      from,
      conversationId,
      conversationType: 'channel',
    }),
    ...extra,
  };
}
