import { get, query } from './api';

/** Pages through a continuation-token list, up to `maxPages`; says whether more was left unread. */
export async function readPages<P extends { continuationToken?: string | undefined }, T>(
  path: string,
  params: Record<string, string | number | undefined>,
  pick: (page: P) => readonly T[],
  maxPages: number,
): Promise<{ rows: T[]; truncated: boolean }> {
  const rows: T[] = [];
  let token: string | undefined;
  for (let page = 0; page < maxPages; page++) {
    const answer = await get<P>(`${path}${query({ ...params, continuationToken: token })}`);
    rows.push(...pick(answer));
    token = answer.continuationToken;
    if (!token) return { rows, truncated: false };
  }
  return { rows, truncated: true };
}
