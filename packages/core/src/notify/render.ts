// One notification mail from its items: a plain-text part and an HTML part saying the same, every piece of text
// escaped (nothing a person wrote becomes markup), links built here from the public URL and ids only.
import type { Lang } from '../shared/language.ts';
import { MAIL_TEXTS } from './mail-texts.ts';
import { MAIL_KINDS, type MailKind } from './notify.rules.ts';

/** A date in a calendar: an instant (a round's deadline) or a whole day (a council meeting). */
export interface CalendarEntry {
  /** Stable across mails and the feed, so that a calendar updates the entry instead of adding another. */
  uid: string;
  title: string;
  start: { instant: number } | { date: string };
  url: string;
  description?: string;
}

export interface MailItem {
  kind: MailKind;
  /** The subject's words when the mail carries this item alone. */
  subject: string;
  title: string;
  lines: string[];
  /** Words someone wrote (a comment's start), shown as a quotation. */
  quote?: string;
  link: { href: string; label: string };
  calendar?: CalendarEntry;
}

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const capitalise = (text: string) => text.charAt(0).toLocaleUpperCase() + text.slice(1);
/** No line breaks or control characters in a header. */
const headerText = (text: string) => text.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\s+/g, ' ').trim();

/**
 * The mail: immediate mail carries items of one kind; a digest (`digestDate` set) those of every kind, grouped. The
 * footer names each kind with its own unsubscribe link, and the person's settings page.
 */
export function renderMail(input: {
  lang: Lang;
  areaName: string;
  items: MailItem[];
  unsubscribe: Partial<Record<MailKind, string>>;
  settingsHref: string;
  digestDate?: string;
}): RenderedMail {
  const t = MAIL_TEXTS[input.lang];
  const kinds = MAIL_KINDS.filter((k) => input.items.some((i) => i.kind === k));
  const digest = input.digestDate !== undefined;
  const first = input.items[0]!;
  const about = digest ? t.digestSubject(input.digestDate!) : input.items.length === 1 ? first.subject : t.many[first.kind](input.items.length);
  const subject = headerText(`Sopu – ${input.areaName}: ${about}`);

  const text: string[] = [digest ? t.digestIntro : t.intro[first.kind], ''];
  const html: string[] = [`<p>${escapeHtml(digest ? t.digestIntro : t.intro[first.kind])}</p>`];
  for (const kind of kinds) {
    if (digest) {
      text.push(capitalise(t.kind[kind]).toLocaleUpperCase(), '');
      html.push(`<h2 style="font-size:1.1em">${escapeHtml(capitalise(t.kind[kind]))}</h2>`);
    }
    for (const item of input.items.filter((i) => i.kind === kind)) {
      text.push(`* ${item.title}`, ...item.lines.map((l) => `  ${l}`));
      if (item.quote) text.push(`  > ${item.quote}`);
      text.push(`  ${item.link.label}: ${item.link.href}`, '');
      html.push(
        `<div style="margin:0 0 1.2em 0"><p style="margin:0 0 .3em 0"><strong>${escapeHtml(item.title)}</strong></p>`,
        ...item.lines.map((l) => `<p style="margin:0 0 .3em 0">${escapeHtml(l)}</p>`),
        ...(item.quote ? [`<blockquote style="margin:.3em 0;padding-left:.8em;border-left:3px solid #ccc;white-space:pre-wrap">${escapeHtml(item.quote)}</blockquote>`] : []),
        `<p style="margin:.5em 0 0 0"><a href="${escapeHtml(item.link.href)}" style="display:inline-block;padding:.4em .9em;background:#003580;color:#ffffff;text-decoration:none;border-radius:4px;font-weight:bold">${escapeHtml(item.link.label)}</a></p></div>`,
      );
    }
  }
  if (input.items.some((i) => i.calendar)) {
    text.push(t.calendarAttached, '');
    html.push(`<p>${escapeHtml(t.calendarAttached)}</p>`);
  }
  text.push('-- ', t.sentBecause(input.areaName));
  html.push(`<hr><p style="font-size:.9em;color:#555">${escapeHtml(t.sentBecause(input.areaName))}</p>`);
  for (const kind of kinds) {
    const href = input.unsubscribe[kind];
    if (!href) continue;
    text.push(`${t.unsubscribe(t.kind[kind])}: ${href}`);
    html.push(`<p style="font-size:.9em;color:#555"><a href="${escapeHtml(href)}" style="color:#555">${escapeHtml(t.unsubscribe(t.kind[kind]))}</a></p>`);
  }
  text.push(`${t.settings}: ${input.settingsHref}`);
  html.push(`<p style="font-size:.9em;color:#555"><a href="${escapeHtml(input.settingsHref)}">${escapeHtml(t.settings)}</a></p>`);

  return {
    subject,
    text: text.join('\n'),
    html:
      `<!doctype html><html lang="${input.lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(subject)}</title></head>` +
      `<body style="margin:0;padding:0;background:#f3f4f6;font-family:Arial,Helvetica,sans-serif;line-height:1.45;color:#0b0c0c">` +
      `<div style="max-width:600px;margin:0 auto;padding:16px 20px;background:#ffffff">` +
      `<p style="margin:0 0 1em 0;padding-bottom:.6em;border-bottom:3px solid #003580;font-weight:bold;color:#003580">Sopu · ${escapeHtml(input.areaName)}</p>\n` +
      `${html.join('\n')}\n</div></body></html>`,
  };
}
