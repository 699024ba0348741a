/**
 * The Microsoft clouds and their endpoints (Graph, Entra ID, the Azure portal), and which cloud a host is.
 */
/** The Microsoft clouds the bot knows. Each has its own Graph and Entra ID hosts. */
export type CloudName = 'global' | 'usgov' | 'usgovdod' | 'china';

export interface CloudEndpoints {
  readonly graph: string;
  readonly authority: string;
  /** `exportPersonalData` is v1.0 only in the global cloud; national clouds have it in beta. */
  readonly exportApiVersion: 'v1.0' | 'beta';
  /** Azure portal host, for links to the export container. */
  readonly portal: string;
}

export const CLOUDS: Readonly<Record<CloudName, CloudEndpoints>> = {
  global: {
    graph: 'https://graph.microsoft.com',
    authority: 'https://login.microsoftonline.com',
    exportApiVersion: 'v1.0',
    portal: 'https://portal.azure.com',
  },
  usgov: {
    graph: 'https://graph.microsoft.us',
    authority: 'https://login.microsoftonline.us',
    exportApiVersion: 'beta',
    portal: 'https://portal.azure.us',
  },
  usgovdod: {
    graph: 'https://dod-graph.microsoft.us',
    authority: 'https://login.microsoftonline.us',
    exportApiVersion: 'beta',
    portal: 'https://portal.azure.us',
  },
  china: {
    graph: 'https://microsoftgraph.chinacloudapi.cn',
    authority: 'https://login.chinacloudapi.cn',
    exportApiVersion: 'beta',
    portal: 'https://portal.azure.cn',
  },
};

/** Which cloud a Graph or authority URL belongs to, or undefined for a non-Microsoft host (a test server). */
export function cloudOfHost(url: string): CloudName | undefined {
  const host = new URL(url).hostname.toLowerCase();
  for (const [name, endpoints] of Object.entries(CLOUDS) as [CloudName, CloudEndpoints][]) {
    if (new URL(endpoints.graph).hostname === host) return name;
  }
  if (host === 'login.microsoftonline.com') return 'global';
  if (host === 'login.microsoftonline.us') return 'usgov';
  if (host === 'login.chinacloudapi.cn') return 'china';
  return undefined;
}
