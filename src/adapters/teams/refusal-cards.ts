import { noticeCard } from '../../cards/intake-cards';
import type { AdaptiveCard } from '../../cards/render';
import { NOT_AVAILABLE_CARD } from './approval-handlers';

/** Why someone may not see what they asked for: the same three reasons for every admin-only answer. */
export type AdminRefusal = 'notAvailable' | 'noRole' | 'roleCheckSlow';

/**
 * The card for an admin-only answer refused: "not available" (another tenant, no object id: nothing is said
 * about what was asked), "for admins only", or "try again" when Graph was too slow. `forWhom` starts the
 * sentence about who may see it, e.g. "Requests are shown to".
 */
export function adminRefusalCard(reason: AdminRefusal, forWhom: string): AdaptiveCard {
  switch (reason) {
    case 'notAvailable':
      return noticeCard({ ...NOT_AVAILABLE_CARD, tone: 'attention' });
    case 'noRole':
      return noticeCard({
        title: 'For admins only',
        text: `${forWhom} admins who hold an allowed role right now. If your role is PIM-eligible, activate it and ask again.`,
        tone: 'attention',
      });
    case 'roleCheckSlow':
      return noticeCard({
        title: 'Try again in a minute',
        text: 'Microsoft Graph was too slow to confirm your admin role.',
        tone: 'attention',
      });
  }
}
