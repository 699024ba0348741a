import { randomUUID } from 'node:crypto';
import {
  CallerIdConstants,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  ConfigurationServiceClientCredentialFactory,
  type Activity,
  type InvokeResponse,
  type TurnContext,
} from 'botbuilder';
import {
  AuthenticationConstants,
  AuthenticationError,
  GovernmentConstants,
  type AuthenticateRequestResult,
  type BotFrameworkAuthentication,
} from 'botframework-connector';
import type { CloudName, Config } from '../../config';
import { describeError, type Logger } from '../../logger';

/**
 * The Bot Framework endpoints of one Microsoft cloud, under the configuration keys
 * ConfigurationBotFrameworkAuthentication reads. Outbound: where the bot gets its token for the channel
 * (login URL, scope) and the user token service (OAuthUrl). Inbound: which issuer the channel's tokens carry
 * and where their signing keys are published (OpenID metadata, for the channel and for the Emulator/skills).
 */
export interface BotFrameworkAuthSettings {
  readonly ChannelService: string;
  readonly ValidateAuthority: boolean;
  readonly ToChannelFromBotLoginUrl: string;
  readonly ToChannelFromBotOAuthScope: string;
  readonly ToBotFromChannelTokenIssuer: string;
  readonly ToBotFromChannelOpenIdMetadataUrl: string;
  readonly ToBotFromEmulatorOpenIdMetadataUrl: string;
  readonly OAuthUrl: string;
  /** Set on authenticated activities; botbuilder has none for Azure China. */
  readonly CallerId?: string;
}

const US_GOVERNMENT: Omit<BotFrameworkAuthSettings, 'OAuthUrl'> = {
  ChannelService: GovernmentConstants.ChannelService,
  ValidateAuthority: true,
  ToChannelFromBotLoginUrl: GovernmentConstants.ToChannelFromBotLoginUrl,
  ToChannelFromBotOAuthScope: GovernmentConstants.ToChannelFromBotOAuthScope,
  ToBotFromChannelTokenIssuer: GovernmentConstants.ToBotFromChannelTokenIssuer,
  ToBotFromChannelOpenIdMetadataUrl: GovernmentConstants.ToBotFromChannelOpenIdMetadataUrl,
  ToBotFromEmulatorOpenIdMetadataUrl: GovernmentConstants.ToBotFromEmulatorOpenIdMetadataUrl,
  CallerId: CallerIdConstants.USGovChannel,
};

/**
 * The Bot Framework authentication settings for a cloud (AZURE_CLOUD). Global and US Government come from
 * botframework-connector's constants; the token services of GCC High and DoD and all of Azure China
 * (21Vianet) from Microsoft's "Configure Bot Framework bots for US Government customers" and "Configure a
 * bot in Microsoft Azure operated by 21Vianet" pages. In China the login URL names the tenant the bot gets
 * its token from (botbuilder uses it as is there): the bot's own tenant, or Microsoft's for a MultiTenant bot.
 * Pure.
 */
export function botFrameworkAuthSettings(
  cloud: CloudName,
  bot: Pick<Config['bot'], 'type' | 'tenantId'>,
): BotFrameworkAuthSettings {
  switch (cloud) {
    case 'global':
      return {
        ChannelService: '',
        ValidateAuthority: true,
        ToChannelFromBotLoginUrl: AuthenticationConstants.ToChannelFromBotLoginUrl,
        ToChannelFromBotOAuthScope: AuthenticationConstants.ToChannelFromBotOAuthScope,
        ToBotFromChannelTokenIssuer: AuthenticationConstants.ToBotFromChannelTokenIssuer,
        ToBotFromChannelOpenIdMetadataUrl: AuthenticationConstants.ToBotFromChannelOpenIdMetadataUrl,
        ToBotFromEmulatorOpenIdMetadataUrl: AuthenticationConstants.ToBotFromEmulatorOpenIdMetadataUrl,
        OAuthUrl: AuthenticationConstants.OAuthUrl,
        CallerId: CallerIdConstants.PublicAzureChannel,
      };
    case 'usgov':
      return { ...US_GOVERNMENT, OAuthUrl: 'https://tokengcch.botframework.azure.us/' };
    case 'usgovdod':
      return { ...US_GOVERNMENT, OAuthUrl: 'https://apiDoD.botframework.azure.us' };
    case 'china': {
      const tenant =
        bot.type === 'MultiTenant' || bot.tenantId === undefined
          ? 'microsoftservices.partner.onmschina.cn'
          : bot.tenantId;
      return {
        ChannelService: 'https://botframework.azure.cn',
        ValidateAuthority: true,
        ToChannelFromBotLoginUrl: `https://login.partner.microsoftonline.cn/${tenant}`,
        ToChannelFromBotOAuthScope: 'https://api.botframework.azure.cn',
        ToBotFromChannelTokenIssuer: 'https://api.botframework.azure.cn',
        ToBotFromChannelOpenIdMetadataUrl:
          'https://login.botframework.azure.cn/v1/.well-known/openidconfiguration',
        ToBotFromEmulatorOpenIdMetadataUrl:
          'https://login.partner.microsoftonline.cn/a55a4d5b-9241-49b1-b4ff-befa8db00269/v2.0/.well-known/openid-configuration',
        OAuthUrl: 'https://token.botframework.azure.cn/',
      };
    }
    default:
      return assertNever(cloud);
  }
}

function assertNever(value: never): never {
  throw new Error(`Unknown cloud ${String(value)}`);
}

/** The algorithms botbuilder accepts on inbound tokens (AuthenticationConstants.AllowedSigningAlgorithms). */
const SIGNING_ALGORITHMS: readonly string[] = AuthenticationConstants.AllowedSigningAlgorithms;
/** botbuilder's clock tolerance on `exp` and `nbf`, in seconds. */
const CLOCK_TOLERANCE_SECONDS = 5 * 60;

/**
 * Why a bearer token can never validate, told from the token alone (no signing key, no network), or
 * undefined when only its signature can tell. Refuses only what botbuilder would refuse too: a signing
 * algorithm it does not allow (`none`, HMAC) or a token outside its validity period. Whatever is not a
 * `Bearer` JWT is left to botbuilder, which refuses it without the network as well.
 */
export function tokenRefusedWithoutKeys(authHeader: string, nowSeconds: number): string | undefined {
  const token = /^Bearer ([^\s.]+\.[^\s.]*\.[^\s.]*)$/.exec(authHeader.trim())?.[1];
  if (token === undefined) return undefined;
  const [header, payload] = token.split('.').slice(0, 2).map(decodeJwtPart);
  if (header === undefined || payload === undefined) return undefined;
  if (typeof header.alg !== 'string' || !SIGNING_ALGORITHMS.includes(header.alg)) {
    return `the token's signing algorithm is not one of ${SIGNING_ALGORITHMS.join(', ')}`;
  }
  if (payload.exp !== undefined) {
    if (typeof payload.exp !== 'number') return 'the token has an invalid exp claim';
    if (nowSeconds >= payload.exp + CLOCK_TOLERANCE_SECONDS) return 'the token has expired';
  }
  if (payload.nbf !== undefined) {
    if (typeof payload.nbf !== 'number') return 'the token has an invalid nbf claim';
    if (nowSeconds < payload.nbf - CLOCK_TOLERANCE_SECONDS) return 'the token is not valid yet';
  }
  return undefined;
}

function decodeJwtPart(part: string | undefined): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part ?? '', 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * True when authentication failed because the signing keys could not be fetched (network, DNS, or the
 * metadata/keys endpoint answering an error), not because of the token: node-fetch's FetchError, or
 * botbuilder's AuthenticationError carrying 500 ("Failed to load openID config / Keys").
 */
function signingKeysUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  if (err.name === 'FetchError') return true;
  return err instanceof AuthenticationError && err.statusCode === 500;
}

type Logic = (context: TurnContext) => Promise<void>;

/**
 * CloudAdapter whose inbound authentication answers for itself. botbuilder's CloudAdapter.process maps only
 * its own AuthenticationError to 401: every other failure while checking a token (jsonwebtoken's "invalid
 * signature", "jwt signature is required", NotBeforeError; a failed key fetch) became a 500 carrying the
 * exception text. Here authentication runs first and a failure becomes the HTTP answer: 401 for a token
 * that does not validate, 503 when the signing keys cannot be fetched (the token cannot be checked now; the
 * channel may retry). The bot logic runs only for an authenticated request.
 */
class AuthenticatingCloudAdapter extends CloudAdapter {
  constructor(
    auth: BotFrameworkAuthentication,
    private readonly authenticationEnabled: boolean,
    private readonly log: Logger,
  ) {
    super(auth);
  }

  protected override processActivity(
    authHeader: string,
    activity: Activity,
    logic: Logic,
  ): Promise<InvokeResponse | undefined>;
  protected override processActivity(
    authenticateRequestResult: AuthenticateRequestResult,
    activity: Activity,
    logic: Logic,
  ): Promise<InvokeResponse | undefined>;
  protected override async processActivity(
    auth: string | AuthenticateRequestResult,
    activity: Activity,
    logic: Logic,
  ): Promise<InvokeResponse | undefined> {
    if (typeof auth !== 'string') return super.processActivity(auth, activity, logic);
    const refused = this.authenticationEnabled
      ? tokenRefusedWithoutKeys(auth, Math.floor(Date.now() / 1000))
      : undefined;
    if (refused !== undefined) return this.unauthenticated(activity, refused);
    let authenticated: AuthenticateRequestResult;
    try {
      authenticated = await this.botFrameworkAuthentication.authenticateRequest(activity, auth);
    } catch (err) {
      if (signingKeysUnavailable(err)) {
        this.log.error(
          'Cannot check an inbound token: the Bot Framework signing keys could not be fetched. Allow outbound HTTPS to the OpenID metadata of AZURE_CLOUD (login.botframework.com in the public cloud).',
          { channelId: activity.channelId, error: describeError(err) },
        );
        return {
          status: 503,
          body: {
            error: {
              code: 'ServiceUnavailable',
              message: 'The bot cannot check the request token right now. Try again later.',
            },
          },
        };
      }
      return this.unauthenticated(activity, err instanceof Error ? err.message : String(err));
    }
    return super.processActivity(authenticated, activity, logic);
  }

  private unauthenticated(activity: Activity, reason: string): InvokeResponse {
    this.log.warn('Refused an unauthenticated request to /api/messages', {
      reason: reason.slice(0, 200),
      channelId: activity.channelId,
    });
    return {
      status: 401,
      body: {
        error: {
          code: 'Unauthorized',
          message: 'The request is not authenticated: a valid Bot Framework token is required.',
        },
      },
    };
  }
}

/**
 * Builds the CloudAdapter from configuration, for the cloud AZURE_CLOUD names. An empty BOT_ID means local
 * mode: inbound auth is off (empty credentials). `authSettings` overrides the cloud's endpoints (tests point
 * the OpenID metadata at a local key server).
 */
export function createAdapter(
  config: Pick<Config, 'bot' | 'cloud'>,
  log: Logger,
  authSettings: Partial<BotFrameworkAuthSettings> = {},
): CloudAdapter {
  const identity = config.bot.localMode
    ? {}
    : {
        MicrosoftAppId: config.bot.appId,
        MicrosoftAppTenantId: config.bot.tenantId ?? '',
      };
  const credentials = new ConfigurationServiceClientCredentialFactory(
    config.bot.localMode
      ? {}
      : {
          ...identity,
          MicrosoftAppPassword: config.bot.password?.reveal() ?? '',
          MicrosoftAppType: config.bot.type,
        },
  );
  const auth = new ConfigurationBotFrameworkAuthentication(
    { ...botFrameworkAuthSettings(config.cloud, config.bot), ...authSettings, ...identity },
    credentials,
  );
  const adapter = new AuthenticatingCloudAdapter(auth, !config.bot.localMode, log);
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
