import rawTemplate from './file-link-card.json';
import { FILE_LINK_PARTS, fileLinkData, type FileLinkModel } from './file-link';
import { renderCard, type AdaptiveCard } from './render';
import { withParts } from './template-parts';

const template = withParts(rawTemplate, FILE_LINK_PARTS);

export interface FileLinkCardModel extends FileLinkModel {
  /** The bot's own words ("Audit trail of DSR-2026-0042 exported"). */
  readonly title: string;
  /** What the file holds, in the bot's words. */
  readonly intro: string;
  /** When the card is made (the link's minutes count from it). */
  readonly now: Date;
  /** Card-level buttons after the file's own (e.g. back to where the file came from), built by the caller. */
  readonly actions?: readonly object[];
}

/**
 * A file written to the audit container, for the admin who asked: what it holds, where it is, and the one-time
 * link to read it (or why there is none). Answer to the clicker only (Universal Actions), never for a chat.
 */
export function fileLinkCard(model: FileLinkCardModel): AdaptiveCard {
  const card = renderCard(template, {
    title: model.title,
    intro: model.intro,
    file: fileLinkData(model, model.now),
  });
  return model.actions && model.actions.length > 0 ? { ...card, actions: [...model.actions] } : card;
}
