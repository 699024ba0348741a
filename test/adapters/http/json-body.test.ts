import { jsonMediaTypeProblem } from '../../../src/adapters/http/json-body';

describe('jsonMediaTypeProblem', () => {
  it.each([
    'application/json',
    'Application/JSON',
    'application/json; charset=utf-8',
    'application/json;charset=UTF-8',
    'application/json; charset="utf-8"',
    'application/json; charset=utf8',
  ])('accepts %s', (contentType) => {
    expect(jsonMediaTypeProblem(contentType, undefined)).toBeUndefined();
    expect(jsonMediaTypeProblem(contentType, 'identity')).toBeUndefined();
  });

  it.each([
    [undefined, /no Content-Type/],
    ['', /no Content-Type/],
    ['multipart/form-data; boundary=x', /application\/json/],
    ['application/x-www-form-urlencoded', /application\/json/],
    ['text/plain', /application\/json/],
    ['application/activity+json', /application\/json/],
    ['application/json; charset=iso-8859-1', /charset=utf-8/],
    ['application/json; boundary=x', /charset=utf-8/],
    ['application/json; charset', /charset=utf-8/],
  ])('refuses %s', (contentType, problem) => {
    expect(jsonMediaTypeProblem(contentType, undefined)).toMatch(problem);
  });

  it.each(['gzip', 'deflate', 'br'])('refuses Content-Encoding %s (no unbounded inflation)', (encoding) => {
    expect(jsonMediaTypeProblem('application/json', encoding)).toMatch(/Content-Encoding/);
  });
});
