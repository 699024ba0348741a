import { inspect } from 'node:util';
import { ConfigError, GLOBAL_ADMINISTRATOR, readConfig } from '../src/config';

const TENANT = '11111111-2222-4333-8444-555555555555';
const APP = '66666666-7777-4888-8999-000000000000';
const base = { AAD_APP_TENANT_ID: TENANT };

function configError(env: Record<string, string>): ConfigError {
  try {
    readConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('readConfig', () => {
  it('uses the documented defaults: port 3978, global cloud, Global Administrator, managed identity', () => {
    const c = readConfig(base);
    expect(c.port).toBe(3978);
    expect(c.cloud).toBe('global');
    expect(c.graph).toEqual({ endpoint: 'https://graph.microsoft.com', exportApiVersion: 'v1.0' });
    expect(c.auth).toMatchObject({
      authorityHost: 'https://login.microsoftonline.com',
      disableInstanceDiscovery: false,
    });
    expect(c.auth.credential).toEqual({ kind: 'managedIdentity', clientId: undefined });
    expect(c.adminRoleTemplateIds).toEqual([GLOBAL_ADMINISTRATOR]);
    expect(c.bot.localMode).toBe(true);
    expect(c.storage.connectionString).toBeUndefined();
  });

  it('says "a few days" and updates cards every 5 minutes unless told the local pace (issue 15)', () => {
    expect(readConfig(base).exports).toMatchObject({ expectedMs: undefined, cardEveryMs: 300_000 });
    const local = readConfig({ ...base, EXPORT_EXPECTED_MINUTES: '2', EXPORT_CARD_UPDATE_SECONDS: '15' });
    expect(local.exports).toMatchObject({ expectedMs: 120_000, cardEveryMs: 15_000 });
    expect(configError({ ...base, EXPORT_CARD_UPDATE_SECONDS: 'soon' }).message).toMatch(
      /EXPORT_CARD_UPDATE_SECONDS/,
    );
  });

  it('refuses to start in production without BOT_ID, naming the variable and why', () => {
    const err = configError({
      ...base,
      NODE_ENV: 'production',
      AZURE_STORAGE_CONNECTION_STRING: 'UseDevelopmentStorage=true',
    });
    expect(err.variable).toBe('BOT_ID');
    expect(err.message).toMatch(/unauthenticated/);
  });

  it('refuses production without a storage account (the embedded Azurite is local only)', () => {
    const err = configError({
      ...base,
      NODE_ENV: 'production',
      BOT_ID: APP,
      BOT_PASSWORD: 'p',
      BOT_TENANT_ID: TENANT,
    });
    expect(err.variable).toBe('AZURE_STORAGE_CONNECTION_STRING');
  });

  it.each([
    [{}, 'AAD_APP_TENANT_ID'],
    [{ AAD_APP_TENANT_ID: 'contoso' }, 'AAD_APP_TENANT_ID'],
    [{ ...base, PORT: 'eighty' }, 'PORT'],
    [{ ...base, BOT_ID: 'my-bot' }, 'BOT_ID'],
    [{ ...base, BOT_ID: APP, BOT_TENANT_ID: TENANT }, 'BOT_PASSWORD'],
    [{ ...base, BOT_ID: APP, BOT_PASSWORD: 'p' }, 'BOT_TENANT_ID'],
    [{ ...base, BOT_TYPE: 'Anything' }, 'BOT_TYPE'],
    [{ ...base, AAD_APP_CLIENT_SECRET: 's' }, 'AAD_APP_CLIENT_ID'],
    [
      { ...base, AAD_APP_CLIENT_ID: APP, AAD_APP_CLIENT_SECRET: 's', AAD_APP_CERTIFICATE_PATH: '/c.pem' },
      'AAD_APP_CLIENT_SECRET',
    ],
    [{ ...base, GRAPH_ENDPOINT: 'http://graph.local' }, 'GRAPH_ENDPOINT'],
    [{ ...base, GRAPH_ENDPOINT: 'not a url' }, 'GRAPH_ENDPOINT'],
    [{ ...base, AAD_APP_OAUTH_AUTHORITY_HOST: 'http://login.local' }, 'AAD_APP_OAUTH_AUTHORITY_HOST'],
    [{ ...base, ADMIN_ROLE_TEMPLATE_IDS: 'Global Administrator' }, 'ADMIN_ROLE_TEMPLATE_IDS'],
    [{ ...base, ADMIN_ROLE_TEMPLATE_IDS: ' , ' }, 'ADMIN_ROLE_TEMPLATE_IDS'],
    [{ ...base, APPROVALS_CHANNEL_ID: 'General' }, 'APPROVALS_CHANNEL_ID'],
    [{ ...base, AZURE_CLOUD: 'mars' }, 'AZURE_CLOUD'],
  ])('names the variable that is wrong: %o → %s', (env, variable) => {
    const err = configError(env);
    expect(err.variable).toBe(variable);
    expect(err.message.startsWith(`${variable}: `)).toBe(true);
  });

  it.each([
    ['https://graph.microsoft.us', 'usgov', 'https://login.microsoftonline.us', 'beta'],
    ['https://dod-graph.microsoft.us', 'usgovdod', 'https://login.microsoftonline.us', 'beta'],
    ['https://microsoftgraph.chinacloudapi.cn', 'china', 'https://login.chinacloudapi.cn', 'beta'],
    ['https://graph.microsoft.com', 'global', 'https://login.microsoftonline.com', 'v1.0'],
  ])(
    'maps the Graph endpoint %s to the %s cloud, its authority and export API version',
    (graph, cloud, authority, version) => {
      const c = readConfig({ ...base, GRAPH_ENDPOINT: graph });
      expect(c.cloud).toBe(cloud);
      expect(c.auth.authorityHost).toBe(authority);
      expect(c.graph.exportApiVersion).toBe(version);
      expect(c.auth.disableInstanceDiscovery).toBe(false);
    },
  );

  it('picks a national cloud by name too', () => {
    const c = readConfig({ ...base, AZURE_CLOUD: 'China' });
    expect(c.graph.endpoint).toBe('https://microsoftgraph.chinacloudapi.cn');
  });

  it('turns instance discovery off for an authority that is not a Microsoft cloud (a test server)', () => {
    const c = readConfig({
      ...base,
      AAD_APP_OAUTH_AUTHORITY_HOST: 'https://127.0.0.1:8443/',
      GRAPH_ENDPOINT: 'https://127.0.0.1:8443',
    });
    expect(c.auth).toMatchObject({ authorityHost: 'https://127.0.0.1:8443', disableInstanceDiscovery: true });
    expect(c.graph.endpoint).toBe('https://127.0.0.1:8443');
  });

  it('reads a client secret or a certificate credential', () => {
    expect(
      readConfig({ ...base, AAD_APP_CLIENT_ID: APP, AAD_APP_CLIENT_SECRET: 's3cret' }).auth.credential.kind,
    ).toBe('clientSecret');
    expect(
      readConfig({ ...base, AAD_APP_CLIENT_ID: APP, AAD_APP_CERTIFICATE_PATH: '/c.pem' }).auth.credential,
    ).toEqual({
      kind: 'certificate',
      clientId: APP,
      certificatePath: '/c.pem',
    });
  });

  it('never prints secrets: the config can be logged whole', () => {
    const c = readConfig({
      ...base,
      AAD_APP_CLIENT_ID: APP,
      AAD_APP_CLIENT_SECRET: 'super-s3cret-value',
      BOT_ID: APP,
      BOT_PASSWORD: 'bot-pa55word',
      BOT_TENANT_ID: TENANT,
      AZURE_STORAGE_CONNECTION_STRING: 'AccountName=a;AccountKey=k3y==',
    });
    const printed = `${JSON.stringify(c)} ${inspect(c, { depth: 10 })} ${String(c.bot.password)}`;
    for (const secret of ['super-s3cret-value', 'bot-pa55word', 'k3y=='])
      expect(printed).not.toContain(secret);
  });

  it('de-duplicates and lower-cases the allowed roles', () => {
    const c = readConfig({
      ...base,
      ADMIN_ROLE_TEMPLATE_IDS: `${GLOBAL_ADMINISTRATOR.toUpperCase()}, 17315797-102d-40b4-93e0-432062caca18,${GLOBAL_ADMINISTRATOR}`,
    });
    expect(c.adminRoleTemplateIds).toEqual([GLOBAL_ADMINISTRATOR, '17315797-102d-40b4-93e0-432062caca18']);
  });

  describe('HOST', () => {
    const registered = { ...base, BOT_ID: APP, BOT_PASSWORD: 'p', BOT_TENANT_ID: TENANT };

    // Defect pinned: local mode (no inbound authentication) listened on every interface.
    it('listens on loopback only in local mode unless HOST says otherwise', () => {
      expect(readConfig(base).host).toBe('127.0.0.1');
      expect(readConfig({ ...base, HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
    });

    it('listens on every interface with a bot registration (App Service needs it) unless HOST says otherwise', () => {
      expect(readConfig(registered).host).toBe('0.0.0.0');
      expect(readConfig({ ...registered, HOST: '10.1.2.3' }).host).toBe('10.1.2.3');
    });

    it.each([
      ['::', '::'],
      ['[::1]', '::1'],
      ['localhost', 'localhost'],
      ['bot.internal.contoso.com', 'bot.internal.contoso.com'],
    ])('accepts HOST=%s', (host, expected) => {
      expect(readConfig({ ...base, HOST: host }).host).toBe(expected);
    });

    it.each(['http://0.0.0.0', '0.0.0.0:3978', 'two words', '999.1.1.1', '-bad-.example'])(
      'refuses HOST=%s, naming the variable',
      (host) => {
        const err = configError({ ...base, HOST: host });
        expect(err.variable).toBe('HOST');
        expect(err.message).toMatch(/IP address or host name/);
      },
    );
  });

  describe('LOCAL_CONSOLE_URL (issue 15: the sandbox console of npm start)', () => {
    const production = {
      ...base,
      NODE_ENV: 'production',
      BOT_ID: APP,
      BOT_PASSWORD: 'p',
      BOT_TENANT_ID: TENANT,
      AZURE_STORAGE_CONNECTION_STRING: 'UseDevelopmentStorage=true',
    };

    it('is absent unless set, and read without a trailing slash', () => {
      expect(readConfig(base).localConsoleUrl).toBeUndefined();
      expect(readConfig(production).localConsoleUrl).toBeUndefined();
      expect(readConfig({ ...base, LOCAL_CONSOLE_URL: 'http://localhost:56160/' }).localConsoleUrl).toBe(
        'http://localhost:56160',
      );
      expect(readConfig({ ...base, LOCAL_CONSOLE_URL: 'http://[::1]:8080' }).localConsoleUrl).toBe(
        'http://[::1]:8080',
      );
    });

    it('is refused in production: the console is local tooling', () => {
      const err = configError({ ...production, LOCAL_CONSOLE_URL: 'http://localhost:56160' });
      expect(err.variable).toBe('LOCAL_CONSOLE_URL');
      expect(err.message).toMatch(/refused when NODE_ENV=production/);
    });

    it.each(['console', 'https://console.contoso.com', 'javascript:alert(1)', 'file:///etc/passwd'])(
      'refuses LOCAL_CONSOLE_URL=%s: a console on this machine only',
      (url) => {
        expect(configError({ ...base, LOCAL_CONSOLE_URL: url }).variable).toBe('LOCAL_CONSOLE_URL');
      },
    );
  });
});
