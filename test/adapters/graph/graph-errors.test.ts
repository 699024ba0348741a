import { explainGraphFailure } from '../../../src/adapters/graph/graph-errors';

const endpoints = { graph: 'https://graph.microsoft.com', authority: 'https://login.microsoftonline.com' };

function graphClientError(statusCode: number, code: string, retryAfter?: string) {
  return Object.assign(new Error('Graph said no'), {
    statusCode,
    code,
    requestId: 'req-1',
    headers: { get: (h: string) => (h === 'Retry-After' ? (retryAfter ?? null) : null) },
  });
}

describe('explainGraphFailure', () => {
  it('branches on the code and names the permission to grant for a 403', () => {
    const e = explainGraphFailure(
      graphClientError(403, 'Authorization_RequestDenied'),
      'exportPersonalData',
      endpoints,
    );
    expect(e).toMatchObject({
      source: 'graph',
      status: 403,
      code: 'Authorization_RequestDenied',
      requestId: 'req-1',
    });
    expect(e.message).toBe(
      'Graph refused exportPersonalData (403 Authorization_RequestDenied): grant the application permission User.Export.All and admin consent (request-id req-1).',
    );
  });

  it('keeps Retry-After (fractional too) for throttling', () => {
    const e = explainGraphFailure(graphClientError(429, 'TooManyRequests', '2.5'), 'GET /users', endpoints);
    expect(e.retryAfterSeconds).toBe(2.5);
    expect(e.message).toMatch(/asked the bot to wait 2.5 s/);
  });

  it('explains AADSTS codes from @azure/identity and never repeats a secret from the text', () => {
    const err = Object.assign(
      new Error(
        'ClientSecretCredential authentication failed: AADSTS7000222: The provided client secret keys are expired. client_secret=abc123',
      ),
      { name: 'AuthenticationError', statusCode: 401 },
    );
    const e = explainGraphFailure(err, 'GET /users', endpoints);
    expect(e).toMatchObject({ source: 'authority', code: 'AADSTS7000222' });
    expect(e.message).toMatch(/expired: create a new one and update AAD_APP_CLIENT_SECRET/);
    expect(e.message).not.toContain('abc123');
  });

  it('calls a failure without a status a network failure, keeping the error code', () => {
    const e = explainGraphFailure(new Error('ENOTFOUND: fetch failed'), 'GET /users', endpoints);
    expect(e).toMatchObject({ source: 'network', code: 'ENOTFOUND' });
    expect(e.message).toMatch(
      /Microsoft Graph at https:\/\/graph.microsoft.com cannot be reached \(ENOTFOUND\)/,
    );
  });

  it.each([
    ['SharedAccessSignatureTokenInvalid', /Fix the export account, then choose Retry/],
    ['StorageLocationNotServiceSAS', /service SAS for one container[\s\S]*then choose Retry/],
    ['StorageLocationNotAzureBlob', /blob endpoint[\s\S]*then choose Retry/],
    ['StorageLocationShouldNotAllowListAccess', /allows listing[\s\S]*then choose Retry/],
    ['StorageLocationNeedsWriteAddPermissions', /create and write[\s\S]*firewall[\s\S]*then choose Retry/],
    [
      'StorageLocationShouldSupportAppendBlobs',
      /append blobs[\s\S]*general-purpose v2[\s\S]*then choose Retry/,
    ],
    ['StorageLocationShouldNotAllowReadAccess', /allows reading[\s\S]*then choose Retry/],
    ['StorageLocationAlreadyUsed', /earlier export\. Retry exports into a new container/],
  ])('says what %s means and what to do next (issue 12)', (code, expected) => {
    const e = explainGraphFailure(graphClientError(400, code), 'exportPersonalData', endpoints);
    expect(e.code).toBe(code);
    expect(e.message).toMatch(expected);
    expect(e.message).toContain(`(400 ${code})`);
  });

  it('says what OperationNotFound means', () => {
    const e = explainGraphFailure(
      graphClientError(400, 'OperationNotFound'),
      'GET dataPolicyOperations',
      endpoints,
    );
    expect(e.message).toMatch(/does not know this export operation/);
  });
});
