/**
 * Escaping for chat markup. Item names, vault names, app display names, team names, tags and alert facts come
 * from the estate: anyone who can name an app registration or tag a vault writes them. Unescaped, Slack reads
 * `<!channel>` as a mention of everyone and `<https://x|y>` as a link whose text hides its target; Teams reads
 * `[y](https://x)` the same way. Every piece of text a Keyward message carries is passed through these first
 * (Keyward's own wording has no markup, so escaping whole lines never removes formatting it meant).
 */

/** Slack mrkdwn: `&`, `<` and `>` are control characters and must be sent as entities (Slack's own rule). */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Teams (Adaptive Card and MessageCard) markdown: every character that starts emphasis, code, a heading, a link,
 * an autolink or inline HTML is backslash-escaped (CommonMark allows any ASCII punctuation to be), and so is a
 * list marker at the start of a line (`-`, `+`, `1.`), the only place where it is markup.
 */
export function escapeTeams(text: string): string {
  return text
    .replace(/[\\`*_{}[\]()#!|<>~]/g, (c) => `\\${c}`)
    .replace(/^(\s*)([-+])/gm, '$1\\$2')
    .replace(/^(\s*\d+)([.)])/gm, '$1\\$2');
}
