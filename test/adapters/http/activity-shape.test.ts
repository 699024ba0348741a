import { activityShapeProblem } from '../../../src/adapters/http/activity-shape';

const good = {
  type: 'message',
  conversation: { id: 'a:1' },
  serviceUrl: 'https://smba.trafficmanager.net/emea/',
  channelId: 'msteams',
};

describe('activityShapeProblem', () => {
  it('accepts a minimal Teams activity', () => {
    expect(activityShapeProblem(good)).toBeUndefined();
  });

  it.each([
    [null, /JSON object/],
    ['text', /JSON object/],
    [[good], /JSON object/],
    [{ ...good, type: '' }, /no "type"/],
    [{ ...good, conversation: undefined }, /no "conversation.id"/],
    [{ ...good, conversation: { id: 7 } }, /no "conversation.id"/],
    [{ ...good, serviceUrl: 'javascript:alert(1)' }, /serviceUrl/],
    [{ ...good, from: 'Alex' }, /"from" is not an object/],
    [{ ...good, channelId: undefined }, /channelId/],
  ])('refuses %o', (body, problem) => {
    expect(activityShapeProblem(body)).toMatch(problem);
  });
});
