/** Display names of the Entra directory roles worth offering in the allow-list (by role template id). */
export const ROLE_NAMES: Readonly<Record<string, string>> = {
  '62e90394-69f5-4237-9190-012177145e10': 'Global Administrator',
  'e8611ab8-c189-46e8-94e1-60213ab1f814': 'Privileged Role Administrator',
  '17315797-102d-40b4-93e0-432062caca18': 'Compliance Administrator',
  'e6d1a23a-da11-4be4-9570-befc86d067a7': 'Compliance Data Administrator',
  'fe930be7-5e62-47db-91af-98c3a49a38b1': 'User Administrator',
};

/** A role's display name, or its template id when the bot does not know the name. */
export function roleName(templateId: string): string {
  return ROLE_NAMES[templateId.toLowerCase()] ?? `role ${templateId}`;
}
