import { randomUUID } from 'node:crypto';
import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  ConfigurationServiceClientCredentialFactory,
} from 'botbuilder';
import type { Config } from '../../config';
import { describeError, type Logger } from '../../logger';

/** Builds the CloudAdapter from configuration. An empty BOT_ID means local mode: inbound auth is off. */
export function createAdapter(config: Pick<Config, 'bot'>, log: Logger): CloudAdapter {
  const credentials = new ConfigurationServiceClientCredentialFactory(
    config.bot.localMode
      ? {}
      : {
          MicrosoftAppId: config.bot.appId,
          MicrosoftAppPassword: config.bot.password?.reveal() ?? '',
          MicrosoftAppType: config.bot.type,
          MicrosoftAppTenantId: config.bot.tenantId ?? '',
        },
  );
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}, credentials));
  adapter.onTurnError = async (context, error) => {
    const reference = randomUUID().slice(0, 8);
    log.error('Turn failed', {
      reference,
      activityType: context.activity.type,
      activityName: context.activity.name,
      conversationType: context.activity.conversation?.conversationType,
      error: describeError(error),
    });
    if (context.activity.type === 'message') {
      await context
        .sendActivity(
          `Something went wrong on my side (reference ${reference}); nothing was changed. Please try again, and if it keeps happening give this reference to whoever runs the bot.`,
        )
        .catch((err: unknown) =>
          log.error('Could not report a failed turn', { reference, error: describeError(err) }),
        );
    }
  };
  return adapter;
}
