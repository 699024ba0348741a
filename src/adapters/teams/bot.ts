import {
  TeamsActivityHandler,
  type CloudAdapter,
  type Activity,
  type AdaptiveCardInvokeResponse,
  type AdaptiveCardInvokeValue,
  type InvokeResponse,
  type TurnContext,
} from 'botbuilder';
import {
  BotBuilderCloudAdapter,
  type CommandMessage,
  type ConversationReferenceStore,
  type TeamsFxBotCommandHandler,
} from '@microsoft/teamsfx';
import type { Config } from '../../config';
import { helpCard } from '../../cards/help-card';
import { ADAPTIVE_CARD_CONTENT_TYPE } from '../../cards/render';
import { whoAmICard } from '../../cards/whoami-card';
import { DirectoryError, type Directory, type GraphPermissionReport } from '../../domain/ports';
import { roleName } from '../../domain/roles';
import { describeError, type Logger } from '../../logger';
import type { IntakeDeps } from '../../usecases/intake';
import { whoAmI } from '../../usecases/who-am-i';
import { callerOf, cardMessage, deepFreeze } from './activity';
import { createAdapter } from './adapter';
import { closestCommand, COMMAND_LIST, COMMANDS } from './commands';
import { parseIntent } from '../../domain/intent';
import { correctCommandWords } from '../../domain/typos';
import { createIntakeHandlers } from './intake-handlers';
import { createApprovalHandlers, type ApprovalHandlerDeps } from './approval-handlers';
import {
  ADAPTIVE_CARD_ACTION,
  cardActionProblem,
  createCardActions,
  invokeBadRequest,
  invokeNotHandled,
} from './card-actions';
import { createAuditHandlers, type AuditHandlerDeps } from './audit-handlers';
import { createLookupCommands } from './lookup-commands';
import { createRecordsHandlers, type RecordsHandlerDeps } from './records-handlers';
import { createRequestHandlers, type RequestHandlerDeps } from './request-handlers';

export interface BotDeps {
  readonly config: Pick<Config, 'bot' | 'cloud' | 'tenantId' | 'adminRoleTemplateIds'>;
  readonly directory: Directory;
  readonly conversationReferences: ConversationReferenceStore;
  readonly intake: IntakeDeps;
  readonly approvals: ApprovalHandlerDeps;
  /** Lookups (status, lists) and the lifecycle actions (identity, extension, delivery, closure). */
  readonly requests: RequestHandlerDeps;
  /** Audit trails: `audit DSR-…`, its pages and its exports with one-time download links. */
  readonly trails: AuditHandlerDeps;
  /** Records: `report …` (yearly figures), `hold …` and `release …` (retention). */
  readonly records: RecordsHandlerDeps;
  /** The Graph application permissions the bot's token carries (shown by whoami). */
  readonly graphPermissions?: () => Promise<GraphPermissionReport>;
  readonly log: Logger;
}

export interface Bot {
  readonly adapter: CloudAdapter;
  readonly conversationBot: BotBuilderCloudAdapter.ConversationBot;
  /** Runs one inbound activity through authentication, middleware and the bot's logic. */
  readonly logic: (context: TurnContext) => Promise<void>;
}

/**
 * The bot: TeamsFx's ConversationBot for command routing and installation tracking (references stored in
 * Azure Tables), on our own CloudAdapter with a turn-error handler that never echoes exception text.
 */
export function createBot(deps: BotDeps): Bot {
  const { config, directory, log } = deps;
  const allowedRoles = () => config.adminRoleTemplateIds.map(roleName);

  // The help card depends on configuration only: render it once, not on every turn. It is frozen, so no turn
  // can change it for the next one, and each turn gets its own top level (botbuilder sets the conversation
  // and ids there); a deep copy on every turn was the largest cost of the bot's own code on a help turn.
  const helpMessage = deepFreeze(
    cardMessage(helpCard({ commands: COMMAND_LIST, allowedRoles: allowedRoles() }), 'What I can do'),
  );
  const help = (): Partial<Activity> => ({ ...helpMessage });

  const helpCommand: TeamsFxBotCommandHandler = {
    triggerPatterns: COMMANDS.help.pattern,
    handleCommandReceived: () => Promise.resolve(help()),
  };

  const whoamiCommand: TeamsFxBotCommandHandler = {
    triggerPatterns: COMMANDS.whoami.pattern,
    async handleCommandReceived(context: TurnContext): Promise<string | Partial<Activity>> {
      const caller = callerOf(context.activity);
      try {
        const answer = await whoAmI(
          { directory, homeTenantId: config.tenantId, allowedRoleIds: config.adminRoleTemplateIds },
          caller,
        );
        switch (answer.kind) {
          case 'otherTenant':
            log.warn('whoami from another tenant', { callerTenantId: caller.tenantId });
            return `I only serve the organisation that installed me, and your account belongs to ${answer.callerTenantId ? `another tenant (${answer.callerTenantId})` : 'an unknown tenant'}, so I cannot look you up. Ask an admin of your own organisation.`;
          case 'notInDirectory':
            return 'Microsoft Graph does not know your account in this tenant, so I cannot tell which roles you hold. Guest and external accounts cannot use this bot.';
          case 'known': {
            // The bot's own permissions and configuration hints are for admins only.
            const isAdmin = answer.heldRoleIds.length > 0;
            const permissions = isAdmin ? await deps.graphPermissions?.().catch(() => undefined) : undefined;
            return cardMessage(
              whoAmICard({
                displayName: answer.user.displayName,
                userPrincipalName: answer.user.userPrincipalName,
                tenantId: config.tenantId,
                heldRoles: answer.heldRoleIds.map(roleName),
                allowedRoles: allowedRoles(),
                ...(permissions ? { botPermissions: permissions } : {}),
              }),
              `${answer.user.displayName}: ${answer.heldRoleIds.length > 0 ? answer.heldRoleIds.map(roleName).join(', ') : 'no admin role'}`,
            );
          }
        }
      } catch (err) {
        if (err instanceof DirectoryError) {
          log.warn('whoami: Graph call failed', { error: describeError(err) });
          return `I could not check your roles: ${err.message}`;
        }
        throw err;
      }
    },
  };

  const intake = createIntakeHandlers(deps.intake, allowedRoles(), log);

  /**
   * Anything no command took: a near miss of the export command is read as it ("exprot data for adele"),
   * another near miss is named ("did you mean whoami?"), anything else gets a short answer. The help card
   * comes on "help" only.
   */
  const fallbackCommand: TeamsFxBotCommandHandler = {
    triggerPatterns: /\S/,
    handleCommandReceived: (context: TurnContext, message: CommandMessage) => {
      const typed = message.text.trim();
      const corrected = correctCommandWords(typed);
      log.info('Unrecognised message', { length: typed.length, corrected: corrected !== undefined });
      if (corrected && parseIntent(corrected)) return intake.exportText(context, corrected);
      const close = corrected && closestCommand(corrected);
      return Promise.resolve({
        type: 'message',
        textFormat: 'plain',
        text: close
          ? `I did not understand that. Did you mean "${close}"?`
          : 'I did not understand that. Say "help" to see what I can do.',
      });
    },
  };
  const approvals = createApprovalHandlers(deps.approvals);

  const requestsUi = createRequestHandlers(deps.requests);
  const auditsUi = createAuditHandlers(deps.trails);
  const runCardAction = createCardActions({ intake, approvals, requests: requestsUi, audits: auditsUi });
  const lookupCommands = createLookupCommands(requestsUi, auditsUi, createRecordsHandlers(deps.records));

  const adapter = createAdapter(config, log);
  const conversationBot = new BotBuilderCloudAdapter.ConversationBot({
    adapter,
    command: {
      enabled: true,
      commands: [helpCommand, whoamiCommand, intake.exportCommand, ...lookupCommands, fallbackCommand],
    },
    notification: { enabled: true, store: deps.conversationReferences, botAppId: config.bot.appId },
  });

  class DsrActivityHandler extends TeamsActivityHandler {
    constructor() {
      super();
      this.onInstallationUpdateAdd(async (context, next) => {
        await context.sendActivity({
          ...help(),
          text: 'Hello! I handle data-subject export requests for your organisation.',
        });
        await next();
      });
      // Action.Submit, the fallback of Action.Execute for old clients: a message whose value holds the verb.
      this.onMessage(async (context, next) => {
        const value = cardSubmitValue(context.activity);
        if (value) {
          const card = await runCardAction(context, value.verb, value);
          await context.sendActivity(cardMessage(card, 'Export request'));
        }
        await next();
      });
    }

    /**
     * Invokes: the bot handles Adaptive Card actions (adaptiveCard/action) only. botbuilder would answer every
     * other invoke 501 Not Implemented, and fail the turn (TypeError, then 501) on an adaptiveCard/action
     * without an action object: both get a 400 in botbuilder's Adaptive Card error shape instead, never a 5xx
     * (Teams retries a 5xx, and it reads as an outage).
     */
    protected override async onInvokeActivity(context: TurnContext): Promise<InvokeResponse> {
      const name: unknown = context.activity.name;
      const value: unknown = context.activity.value;
      if (name !== ADAPTIVE_CARD_ACTION) return invokeBadRequest(invokeNotHandled(name));
      const problem = cardActionProblem(value);
      if (problem !== undefined) return invokeBadRequest(problem);
      return super.onInvokeActivity(context);
    }

    /** Universal Actions (Action.Execute): the returned card replaces the one clicked, for the person who clicked. */
    protected override async onAdaptiveCardInvoke(
      context: TurnContext,
      invokeValue: AdaptiveCardInvokeValue,
    ): Promise<AdaptiveCardInvokeResponse> {
      const card = await runCardAction(context, invokeValue.action?.verb, invokeValue.action?.data);
      return {
        statusCode: 200,
        type: ADAPTIVE_CARD_CONTENT_TYPE,
        value: card as unknown as Record<string, unknown>,
      };
    }
  }
  const handler = new DsrActivityHandler();

  // A message that is not an Action.Submit is the command router's (TeamsFx's middleware, which runs before the
  // logic): the activity handler has nothing to do with it, and its dispatch cost ~0.1 ms of CPU per message.
  const logic = (context: TurnContext): Promise<void> =>
    context.activity.type === 'message' && !cardSubmitValue(context.activity)
      ? Promise.resolve()
      : handler.run(context);
  return { adapter, conversationBot, logic };
}

/** The value of an Action.Submit (a message without text whose value is an object), or undefined. */
function cardSubmitValue(activity: Partial<Activity>): { verb?: unknown } | undefined {
  const value: unknown = activity.value;
  return activity.type === 'message' && !activity.text && typeof value === 'object' && value
    ? value
    : undefined;
}
