import { deepFreeze } from '../../../src/adapters/teams/activity';

describe('deepFreeze', () => {
  it('freezes an object and everything it holds, and returns the same object', () => {
    const message = { type: 'message', attachments: [{ content: { body: [{ text: 'help' }] } }] };
    const frozen = deepFreeze(message);
    expect(frozen).toBe(message);
    expect(Object.isFrozen(message)).toBe(true);
    expect(Object.isFrozen(message.attachments)).toBe(true);
    expect(Object.isFrozen(message.attachments[0]!.content.body[0])).toBe(true);
  });

  it('makes a change to a message built once fail loudly instead of reaching the next turn', () => {
    const message = deepFreeze({ attachments: [{ content: { version: '1.5' } }] });
    expect(() => {
      message.attachments[0]!.content.version = '1.6';
    }).toThrow(TypeError);
    expect(() => (message.attachments as unknown[]).push({})).toThrow(TypeError);
  });

  it('leaves primitives and null alone', () => {
    expect(deepFreeze('text')).toBe('text');
    expect(deepFreeze(null)).toBeNull();
    expect(deepFreeze({ a: null, b: 1 })).toEqual({ a: null, b: 1 });
  });
});
