import type { TableServiceClientOptions } from '@azure/data-tables';

type AdditionalPolicy = NonNullable<TableServiceClientOptions['additionalPolicies']>[number];

/** Counts the HTTP requests sent to storage by the clients it is given to, retries included. */
export class StorageCalls {
  private sent = 0;
  readonly policy: AdditionalPolicy = {
    position: 'perRetry',
    policy: {
      name: 'countStorageCalls',
      sendRequest: (request, next) => {
        this.sent++;
        return next(request);
      },
    },
  };

  get count(): number {
    return this.sent;
  }
}
