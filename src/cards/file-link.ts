import { formatBytes, md, utc } from './card-text';
import parts from './file-link.json';
import { portalLink, portalLinkTitle, type PortalLinks } from './request-facts';

/**
 * The "file + one-time link" part of a card (a trail export, a report): where the file is (account, container,
 * name, size), the one-time read link to it with when it ends, and a link to its container in the Azure
 * portal (or the sandbox console locally). The template part is `fileLink` in file-link.json; its data goes
 * under `file` ({@link fileLinkData}). The card shows the link to whoever clicked only: never post it for a
 * whole chat.
 */
export const FILE_LINK_PARTS = parts;

/** A file in the audit container, as the card names it. */
export interface LinkedFile {
  readonly accountName: string;
  readonly containerName: string;
  readonly name: string;
  readonly bytes: number;
}

export interface FileLinkModel {
  readonly file: LinkedFile;
  /** The one-time read link and when it ends; undefined when the bot has no public URL (BOT_ENDPOINT). */
  readonly link: { readonly url: string; readonly expiresAt: string } | undefined;
  /** Where the Azure portal is, to link to the container (never a SAS). */
  readonly portal?: PortalLinks;
}

/** The minutes from now to `expiresAt` ("15 minutes"), for the link's words. */
const minutesLeft = (expiresAt: string, now: Date) =>
  Math.max(0, Math.round((Date.parse(expiresAt) - now.getTime()) / 60_000));

/** The data of the `fileLink` part, under `file`. `now` is when the card is made (for "valid N minutes"). */
export function fileLinkData(model: FileLinkModel, now: Date) {
  const { file, link, portal } = model;
  const minutes = link ? minutesLeft(link.expiresAt, now) : 0;
  return {
    account: md(file.accountName, 64),
    container: md(file.containerName, 64),
    name: md(file.name, 200),
    size: formatBytes(file.bytes),
    hasLink: link !== undefined,
    noLink: link === undefined,
    linkUrl: link?.url ?? '',
    linkText: link
      ? `The download link works once, until ${utc(link.expiresAt)} (${minutes} ${minutes === 1 ? 'minute' : 'minutes'}). ` +
        'Whoever opens it first gets the file: do not forward it. Ask again for a new one.'
      : '',
    noLinkText:
      'The file is in the audit container. For a download link here, the bot needs its public address: ' +
      'set BOT_ENDPOINT (e.g. https://contoso-dsr.azurewebsites.net).',
    hasPortal: portal !== undefined,
    portalUrl: portal ? portalLink(portal, file.containerName) : '',
    portalTitle: portalLinkTitle(portal, file.containerName),
    hasActions: link !== undefined || portal !== undefined,
  };
}
