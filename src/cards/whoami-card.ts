import template from './whoami-card.json';
import { cleanText, escapeMarkdown } from '../domain/text';
import { renderCard, type AdaptiveCard } from './render';

/** A value from outside for a TextBlock or a fact (both render Markdown): cleaned, bounded, escaped. */
const md = (text: string, max = 120) => escapeMarkdown(cleanText(text, max));

export interface WhoAmICardModel {
  readonly displayName: string;
  readonly userPrincipalName: string;
  readonly tenantId: string;
  /** Allowed roles the person holds now, by name. */
  readonly heldRoles: readonly string[];
  /** All allowed roles, by name. */
  readonly allowedRoles: readonly string[];
  /** The Graph application permissions the bot's own token carries, when known. */
  readonly botPermissions?: { readonly granted: readonly string[]; readonly missing: readonly string[] };
}

/**
 * The whoami card: who the bot thinks you are and which allowed admin roles Graph says you hold now. Names
 * come from the directory and show in a TextBlock and facts: escaped, so they cannot format or link.
 */
export function whoAmICard(model: WhoAmICardModel): AdaptiveCard {
  const mayAct = model.heldRoles.length > 0;
  return renderCard(template, {
    displayName: md(model.displayName),
    userPrincipalName: md(model.userPrincipalName),
    tenantId: md(model.tenantId, 64),
    rolesText: mayAct ? md(model.heldRoles.join(', '), 500) : 'none of the allowed roles',
    verdict: mayAct
      ? 'You may request and approve data exports.'
      : `You cannot request or approve data exports: that needs ${model.allowedRoles.length === 1 ? 'the Entra role' : 'one of the Entra roles'} ${model.allowedRoles.join(', ')}, active now. A role that is only eligible in Privileged Identity Management counts once you activate it.`,
    verdictColor: mayAct ? 'Good' : 'Attention',
    hasBotPermissions: model.botPermissions !== undefined,
    botPermissionsText:
      model.botPermissions === undefined
        ? ''
        : model.botPermissions.missing.length === 0
          ? `The bot's Graph token carries ${model.botPermissions.granted.join(', ')}.`
          : `The bot's Graph token lacks ${model.botPermissions.missing.join(' and ')}: an admin must grant ${model.botPermissions.missing.length > 1 ? 'them' : 'it'} (application permission, admin consent; docs/deploy.md step 4).`,
    botPermissionsColor: model.botPermissions?.missing.length ? 'Attention' : 'Default',
  });
}
