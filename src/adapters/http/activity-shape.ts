/**
 * A first check of an inbound body before it reaches botbuilder, which would otherwise throw on a missing
 * `type` or `conversation` and answer 500 with its exception text. Returns the problem, or undefined.
 */
export function activityShapeProblem(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return 'The request body must be a JSON object (a Bot Framework activity).';
  }
  const a = body as Record<string, unknown>;
  if (typeof a.type !== 'string' || a.type === '') return 'The activity has no "type".';
  const conversation = a.conversation as Record<string, unknown> | undefined;
  if (
    typeof conversation !== 'object' ||
    conversation === null ||
    typeof conversation.id !== 'string' ||
    conversation.id === ''
  ) {
    return 'The activity has no "conversation.id".';
  }
  if (typeof a.serviceUrl !== 'string' || !/^https?:\/\//i.test(a.serviceUrl)) {
    return 'The activity has no valid "serviceUrl".';
  }
  if (a.from !== undefined && (typeof a.from !== 'object' || a.from === null))
    return 'The activity "from" is not an object.';
  if (typeof a.channelId !== 'string' || a.channelId === '') return 'The activity has no "channelId".';
  return undefined;
}
