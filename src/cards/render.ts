import { Template } from 'adaptivecards-templating';

/** An Adaptive Card as Teams receives it (the JSON object inside the attachment). */
export interface AdaptiveCard {
  readonly type: 'AdaptiveCard';
  readonly version: string;
  readonly [key: string]: unknown;
}

export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

/**
 * Each template parsed once: parsing every `${…}` expression of a template (ANTLR) was most of a card's cost,
 * and a third of all the bot allocated while it followed exports. A parsed template expands any view model
 * (expansion is synchronous and keeps no state between calls); templates are module constants.
 */
const parsed = new WeakMap<object, Template>();

/**
 * Expands a JSON card template with a view model using adaptivecards-templating. Data is bound, never
 * spliced into the template text, so user text cannot inject template expressions or card elements.
 */
export function renderCard<VM extends object>(template: object, viewModel: VM): AdaptiveCard {
  let prepared = parsed.get(template);
  if (prepared === undefined) {
    prepared = new Template(template);
    parsed.set(template, prepared);
  }
  return prepared.expand({ $root: viewModel }) as AdaptiveCard;
}
