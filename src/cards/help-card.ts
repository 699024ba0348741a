import template from './help-card.json';
import { renderCard, type AdaptiveCard } from './render';

export interface HelpCardModel {
  readonly commands: readonly { readonly example: string; readonly description: string }[];
  /** The allowed admin roles, by name. */
  readonly allowedRoles: readonly string[];
}

/** The help card: what the bot does and the commands it understands. */
export function helpCard(model: HelpCardModel): AdaptiveCard {
  return renderCard(template, {
    title: 'Data-subject export requests',
    intro:
      'I turn GDPR and CCPA data-export requests into an approved, tracked Microsoft Graph export, and tell the approvals channel when it is done. Commands:',
    commands: model.commands,
    footer: `Requesting and approving need one of these Entra roles, active now: ${model.allowedRoles.join(', ')}.`,
  });
}
