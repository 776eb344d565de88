import type { PipelinePolicy } from '@azure/core-rest-pipeline';

/**
 * What a paged list's responses said that its SDK does not pass on. Where the list stands: the `nextLink` of the
 * last page its client received — the SDKs accept it back as `byPage({ continuationToken })`, but the Key Vault
 * SDKs map each page into a new array and drop the token they set on it. Why it was refused: a paged list's error
 * keeps only "Pagination failed with unexpected statusCode 403", not Key Vault's inner code (ForbiddenByFirewall,
 * ForbiddenByConnection). One cursor per client, whose lists run one at a time.
 */
export interface PageCursor {
  /** Sits on the client's pipeline (per retry) and notes each list page's `nextLink` and each 403's body. */
  readonly policy: PipelinePolicy;
  /** The link to the page after the last one received; undefined after the last page or before the first. */
  next(): string | undefined;
  /** The body of the last 403 the client received (Key Vault's error: codes and caller ids, never a value). */
  lastRefusal(): string | undefined;
}

export function pageCursor(): PageCursor {
  let next: string | undefined;
  let refusal: string | undefined;
  return {
    next: () => next,
    lastRefusal: () => refusal,
    policy: {
      name: 'keywardPageCursor',
      async sendRequest(request, nextPolicy) {
        const response = await nextPolicy(request);
        if (response.status === 403) refusal = response.bodyAsText?.slice(0, 2000) ?? undefined;
        if (response.status === 200 && request.method === 'GET' && response.bodyAsText) {
          const body = parseListBody(response.bodyAsText);
          if (body) next = body.nextLink ?? undefined;
        }
        return response;
      },
    },
  };
}

/** A list page is an object with a `value` array; anything else (a single item, an error) is not. */
function parseListBody(text: string): { nextLink?: string | null } | null {
  try {
    const body = JSON.parse(text) as { value?: unknown; nextLink?: unknown };
    if (!Array.isArray(body.value)) return null;
    return { nextLink: typeof body.nextLink === 'string' && body.nextLink ? body.nextLink : null };
  } catch {
    return null;
  }
}
