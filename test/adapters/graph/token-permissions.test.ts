import { DEMO_APP_CLIENT_ID } from '../../../sandbox/demo-tenant';
import { createGraphCredential, graphScope } from '../../../src/adapters/graph/graph-client';
import { graphPermissions } from '../../../src/adapters/graph/token-permissions';
import { sandboxConfig, startSandbox } from '../../support/sandbox';

describe('the Graph permissions in the bot token (tenant sandbox)', () => {
  it('reads the roles claim of a real token: both permissions, then one missing, without showing the token', async () => {
    const sandbox = await startSandbox();
    try {
      const config = sandboxConfig(sandbox);
      const all = await graphPermissions(createGraphCredential(config), graphScope(config));
      expect(all).toEqual({ granted: ['User.Export.All', 'User.Read.All'], missing: [] });

      sandbox.setAppRoles(DEMO_APP_CLIENT_ID, ['User.Read.All']);
      // A new credential: tokens already issued keep the roles they were issued with (as in Entra ID).
      const one = await graphPermissions(createGraphCredential(config), graphScope(config));
      expect(one).toEqual({ granted: ['User.Read.All'], missing: ['User.Export.All'] });
      expect(JSON.stringify(one)).not.toMatch(/eyJ/);
    } finally {
      await sandbox.close();
    }
  });
});
