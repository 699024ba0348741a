import { Template } from 'adaptivecards-templating';

/** An Adaptive Card as Teams receives it (the JSON object inside the attachment). */
export interface AdaptiveCard {
  readonly type: 'AdaptiveCard';
  readonly version: string;
  readonly [key: string]: unknown;
}

export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

/**
 * Expands a JSON card template with a view model using adaptivecards-templating. Data is bound, never
 * spliced into the template text, so user text cannot inject template expressions or card elements.
 */
export function renderCard<VM extends object>(template: object, viewModel: VM): AdaptiveCard {
  const card = new Template(template).expand({ $root: viewModel }) as AdaptiveCard;
  return card;
}
