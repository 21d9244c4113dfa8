// Reads every API key of the account and region, page by page, without values.
import { GetApiKeysCommand } from '@aws-sdk/client-api-gateway';
import type { ApiGatewaySender } from './client';
import { toKeyInfo, type KeyInfo } from './key-tags';

/** Page size of GetApiKeys (the API's maximum is 500). */
const PAGE_SIZE = 500;

export async function fetchKeys(client: ApiGatewaySender): Promise<KeyInfo[]> {
  const keys: KeyInfo[] = [];
  let position: string | undefined;
  do {
    // The SDK's paginator insists on a concrete APIGatewayClient; tests wrap one, so page by hand.
    const page = await client.send(new GetApiKeysCommand({ includeValues: false, limit: PAGE_SIZE, position }));
    for (const key of page.items ?? []) keys.push(toKeyInfo(key));
    position = page.position && page.position !== position ? page.position : undefined;
  } while (position);
  return keys;
}
